// The offline FaceMatcher's contract over a stand-in engine: which faces it compares, what it
// reports, how it filters by quality and which FaceMatchError codes it throws.
import { describe, expect, it } from 'vitest';
import { FaceMatchError } from '../../functions/verification/faces/face-matcher.ts';
import { ImageTooLargeError } from '../../local/faces/decode.ts';
import { FaceEngineError } from '../../local/faces/engine.ts';
import { OfflineFaceMatcher, passesQualityFilter } from '../../local/offline-matcher.ts';
import { ARCFACE_PART_LENGTH, descriptorSimilarity, joinDescriptors, RESNET_LENGTH } from '../../local/faces/similarity.ts';
import { type AnalyzedFace, type FaceEngine, ImageDecodeError, type ImageAnalysis } from '../../local/faces/types.ts';

function face(width: number, direction: number[], quality = { brightness: 50, sharpness: 60 }, confidence = 1, at = { x: 10, y: 20 }): AnalyzedFace {
  // The same direction in both parts of the joined descriptor (ResNet, ArcFace).
  const part = (length: number) => Array.from({ length }, (_, i) => direction[i] ?? 0);
  return {
    box: { ...at, width, height: width },
    confidence,
    quality,
    landmarks: [],
    pose: { roll: 1, yaw: 2, pitch: 3 },
    descriptor: joinDescriptors(part(RESNET_LENGTH), part(ARCFACE_PART_LENGTH)),
  };
}

/** An engine that answers from a table keyed by the first byte of the image. */
function fakeEngine(images: Record<number, ImageAnalysis | Error>): FaceEngine {
  return {
    async analyze(image) {
      const answer = images[image[0]];
      if (answer instanceof Error) throw answer;
      if (!answer) throw new ImageDecodeError('unknown test image');
      return answer;
    },
    similarity: descriptorSimilarity,
    async close() {},
  };
}

const img = (id: number) => new Uint8Array([id]);
const ALICE = [1, 0, 0];
const ALICE_AGAIN = [0.99, 0.05, 0];
const BOB = [0, 1, 0];

describe('OfflineFaceMatcher.compareFaces', () => {
  const engine = fakeEngine({
    1: { width: 1000, height: 500, faces: [face(200, ALICE), face(50, BOB)] },
    // A bystander at the edge, a little larger than the subject in the middle.
    2: { width: 400, height: 400, faces: [face(110, BOB, undefined, 1, { x: 0, y: 0 }), face(100, ALICE_AGAIN, undefined, 1, { x: 150, y: 150 })] },
    3: { width: 100, height: 100, faces: [] },
    4: new ImageDecodeError('not an image'),
    5: new ImageTooLargeError('60 megapixels'),
    6: new FaceEngineError('worker crashed'),
    7: { width: 400, height: 400, faces: [face(100, ALICE, { brightness: 50, sharpness: 8 })] },
    // Alice small in a corner of Bob's ID photo.
    8: { width: 400, height: 400, faces: [face(160, BOB, undefined, 1, { x: 120, y: 100 }), face(60, ALICE, undefined, 1, { x: 0, y: 0 })] },
  });
  const matcher = new OfflineFaceMatcher(engine);

  it('compares the largest source face with the main face of the target: central beats a slightly larger bystander', async () => {
    const r = await matcher.compareFaces(img(1), img(2));
    expect(r.similarity).toBeGreaterThan(99);
    expect(r.sourceFace.boundingBox).toEqual({ left: 0.01, top: 0.04, width: 0.2, height: 0.4 });
    expect(r.sourceFace.confidence).toBe(100);
    expect(r.targetFace.boundingBox).toEqual({ left: 150 / 400, top: 150 / 400, width: 100 / 400, height: 100 / 400 });
    expect(r.targetFace.pose).toEqual({ roll: 1, yaw: 2, pitch: 3 });
    expect(r.targetImage).toEqual({ width: 400, height: 400 });
  });

  it('ignores the other faces of the target: Alice in a corner of Bob\'s ID does not match Alice', async () => {
    const r = await matcher.compareFaces(img(1), img(8));
    expect(r.similarity).toBe(0);
    expect(r.targetFace.boundingBox.width).toBeCloseTo(160 / 400, 12);
  });

  it('says which image has no face', async () => {
    await expect(matcher.compareFaces(img(3), img(2))).rejects.toMatchObject({ name: 'FaceMatchError', code: 'NO_FACE_IN_SOURCE' });
    await expect(matcher.compareFaces(img(1), img(3))).rejects.toMatchObject({ code: 'NO_FACE_IN_TARGET' });
  });

  it('maps unreadable, oversized and engine failures to their codes', async () => {
    await expect(matcher.compareFaces(img(4), img(2))).rejects.toMatchObject({ code: 'INVALID_IMAGE', message: expect.stringMatching(/source/) });
    await expect(matcher.compareFaces(img(1), img(4))).rejects.toMatchObject({ code: 'INVALID_IMAGE', message: expect.stringMatching(/target/) });
    await expect(matcher.compareFaces(img(5), img(2))).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    await expect(matcher.detectFaces(img(6))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(matcher.detectFaces(img(4))).rejects.toBeInstanceOf(FaceMatchError);
  });

  it('ignores faces under the quality filter', async () => {
    expect((await matcher.compareFaces(img(1), img(7))).similarity).toBeGreaterThan(99);
    expect((await matcher.compareFaces(img(1), img(7), { qualityFilter: 'LOW' })).similarity).toBeGreaterThan(99);
    await expect(matcher.compareFaces(img(1), img(7), { qualityFilter: 'MEDIUM' })).rejects.toMatchObject({ code: 'NO_FACE_IN_TARGET' });
  });
});

describe('OfflineFaceMatcher.detectFaces', () => {
  it('reports every face, largest first, as ratios with confidence 0-100', async () => {
    const matcher = new OfflineFaceMatcher(fakeEngine({ 1: { width: 1000, height: 500, faces: [face(200, ALICE), face(50, BOB, undefined, 0.9)] } }));
    const faces = await matcher.detectFaces(img(1));
    expect(faces).toHaveLength(2);
    expect(faces[0].boundingBox.width).toBeGreaterThan(faces[1].boundingBox.width);
    expect(faces[1].confidence).toBeCloseTo(90, 12);
    expect(faces[0].quality).toEqual({ brightness: 50, sharpness: 60 });
  });
});

describe('passesQualityFilter', () => {
  const q = (brightness: number, sharpness: number, confidence = 1) => ({ confidence, quality: { brightness, sharpness } });
  it('lets everything through NONE and is stricter from LOW to HIGH', () => {
    expect(passesQualityFilter(q(1, 1, 0.5), 'NONE')).toBe(true);
    expect(passesQualityFilter(q(40, 6), 'LOW')).toBe(true);
    expect(passesQualityFilter(q(40, 6), 'AUTO')).toBe(true);
    expect(passesQualityFilter(q(40, 6), 'MEDIUM')).toBe(false);
    expect(passesQualityFilter(q(40, 25), 'MEDIUM')).toBe(true);
    expect(passesQualityFilter(q(40, 25), 'HIGH')).toBe(false);
    expect(passesQualityFilter(q(40, 60, 0.9), 'HIGH')).toBe(false);
    expect(passesQualityFilter(q(3, 60), 'LOW')).toBe(false);
  });
});
