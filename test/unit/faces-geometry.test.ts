// The pure parts of the face pipeline: alignment geometry, Rekognition landmark names, duplicate
// detections and the quality measure, on synthetic points and pixels.
import { describe, expect, it } from 'vitest';
import { alignmentFrame, ARCFACE_TEMPLATE, arcfacePoints, boundingBox, fitSimilarity, type Point, rekognitionLandmarks, rollDegrees, squareAround } from '../../local/faces/align.ts';
import { dedupe, type DetectedCandidate, overlapOfSmaller } from '../../local/faces/detect.ts';
import { measureQuality } from '../../local/faces/quality.ts';

/** 68 points of an upright face: eyes at y=40 (x 30-40 and 60-70), mouth at y=80 (x 40-60), the rest on the jaw. */
function uprightFace(): Point[] {
  const pts: Point[] = Array.from({ length: 68 }, (_, i) => ({ x: 50 + 40 * Math.cos((i / 17) * Math.PI), y: 60 + 40 * Math.sin((i / 17) * Math.PI) }));
  for (let i = 36; i < 42; i++) pts[i] = { x: 30 + (i - 36) * 2, y: 40 };
  for (let i = 42; i < 48; i++) pts[i] = { x: 60 + (i - 42) * 2, y: 40 };
  for (let i = 48; i < 68; i++) pts[i] = { x: 40 + (i - 48), y: 80 };
  pts[30] = { x: 50, y: 60 };
  return pts;
}

function rotate(points: Point[], degrees: number, about: Point): Point[] {
  const a = (degrees * Math.PI) / 180;
  return points.map((p) => ({
    x: about.x + (p.x - about.x) * Math.cos(a) - (p.y - about.y) * Math.sin(a),
    y: about.y + (p.x - about.x) * Math.sin(a) + (p.y - about.y) * Math.cos(a),
  }));
}

describe('alignmentFrame', () => {
  it('frames an upright face as face-api does: side = eye-to-mouth / 0.45, level', () => {
    const frame = alignmentFrame(uprightFace());
    // Eye centres (35, 40) and (65, 40); mouth centre (49.5, 80).
    const eyeToMouth = (Math.hypot(35 - 49.5, 40 - 80) + Math.hypot(65 - 49.5, 40 - 80)) / 2;
    expect(frame.side).toBeCloseTo(eyeToMouth / 0.45, 9);
    expect(frame.angle).toBeCloseTo(0, 12);
    expect(frame.ref.x).toBeCloseTo((35 + 65 + 49.5) / 3, 9);
    expect(frame.ref.y).toBeCloseTo((40 + 40 + 80) / 3, 9);
  });

  it('turns with the head and keeps its size', () => {
    const upright = alignmentFrame(uprightFace());
    const tilted = alignmentFrame(rotate(uprightFace(), 20, { x: 50, y: 50 }));
    expect((tilted.angle * 180) / Math.PI).toBeCloseTo(20, 6);
    expect(tilted.side).toBeCloseTo(upright.side, 6);
    expect(rollDegrees(rotate(uprightFace(), -12, { x: 0, y: 0 }))).toBeCloseTo(-12, 6);
  });
});

describe('boxes', () => {
  it('squareAround scales the longer side around the centre', () => {
    expect(squareAround({ x: 10, y: 20, width: 40, height: 20 }, 1.5)).toEqual({ x: 0, y: 0, width: 60, height: 60 });
    expect(boundingBox([{ x: 3, y: 4 }, { x: -1, y: 10 }])).toEqual({ x: -1, y: 4, width: 4, height: 6 });
  });
});

describe('rekognitionLandmarks', () => {
  it('names the five points Rekognition always reports, eyeLeft on the image left', () => {
    const named = Object.fromEntries(rekognitionLandmarks(uprightFace()).map((l) => [l.type, l]));
    for (const type of ['eyeLeft', 'eyeRight', 'nose', 'mouthLeft', 'mouthRight']) expect(named[type]).toBeDefined();
    expect(named.eyeLeft.x).toBeLessThan(named.eyeRight.x);
    expect(named.eyeLeft).toMatchObject({ x: 35, y: 40 });
    expect(named.nose).toMatchObject({ x: 50, y: 60 });
    expect(named.mouthLeft.x).toBeLessThan(named.mouthRight.x);
  });
});

describe('dedupe', () => {
  const candidate = (x: number, y: number, w: number, confidence = 1, detectorScore = 0.9): DetectedCandidate => ({
    meshBox: { x, y, width: w, height: w },
    confidence,
    detectorScore,
    yaw: 0,
    pitch: 0,
    keypoints: Object.fromEntries(['eyeImageLeft', 'eyeImageRight', 'noseTip', 'mouthCenter', 'earImageLeft', 'earImageRight'].map((k) => [k, { x, y }])) as unknown as DetectedCandidate['keypoints'],
  });

  it('keeps the first of two hits on one face and both of two faces side by side', () => {
    const kept = dedupe([candidate(100, 100, 100), candidate(110, 140, 80, 1, 0.4), candidate(300, 100, 100)]);
    expect(kept.map((c) => c.meshBox.x)).toEqual([100, 300]);
  });

  it('measures overlap against the smaller box', () => {
    expect(overlapOfSmaller({ x: 0, y: 0, width: 100, height: 100 }, { x: 25, y: 25, width: 50, height: 50 })).toBe(1);
    expect(overlapOfSmaller({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
  });
});

describe('measureQuality', () => {
  const side = 40;
  const image = (value: (x: number, y: number) => number) => {
    const rgb = new Float32Array(side * side * 3);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) rgb.fill(value(x, y), (y * side + x) * 3, (y * side + x) * 3 + 3);
    return rgb;
  };

  it('reads brightness as mean luminance in percent', () => {
    expect(measureQuality(image(() => 255), side).brightness).toBe(100);
    expect(measureQuality(image(() => 0), side).brightness).toBe(0);
    expect(measureQuality(image(() => 127.5), side).brightness).toBe(50);
  });

  it('reads a flat face as not sharp and fine detail as sharp', () => {
    expect(measureQuality(image(() => 128), side).sharpness).toBe(0);
    const checker = measureQuality(image((x, y) => ((x + y) % 2 ? 200 : 50)), side).sharpness;
    const gentle = measureQuality(image((x) => 100 + x), side).sharpness;
    expect(checker).toBeGreaterThan(95);
    expect(gentle).toBeLessThan(5);
  });
});

describe('fitSimilarity (the five-point alignment onto ArcFace\'s template)', () => {
  it('recovers a rotation, scale and shift exactly from five points', () => {
    const angle = 0.3;
    const scale = 1.7;
    const move = (p: { x: number; y: number }) => ({
      x: scale * (Math.cos(angle) * p.x - Math.sin(angle) * p.y) + 12,
      y: scale * (Math.sin(angle) * p.x + Math.cos(angle) * p.y) - 7,
    });
    const fit = fitSimilarity(ARCFACE_TEMPLATE, ARCFACE_TEMPLATE.map(move));
    expect(fit.a).toBeCloseTo(scale * Math.cos(angle), 9);
    expect(fit.b).toBeCloseTo(scale * Math.sin(angle), 9);
    expect(fit.tx).toBeCloseTo(12, 9);
    expect(fit.ty).toBeCloseTo(-7, 9);
  });

  it('takes the eye centres, the nose tip and the mouth corners of the 68 landmarks', () => {
    const landmarks = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    const [eyeLeft, eyeRight, nose, mouthLeft, mouthRight] = arcfacePoints(landmarks);
    expect(eyeLeft).toEqual({ x: 38.5, y: 77 });
    expect(eyeRight).toEqual({ x: 44.5, y: 89 });
    expect(nose).toEqual({ x: 30, y: 60 });
    expect([mouthLeft.x, mouthRight.x]).toEqual([48, 54]);
  });
});
