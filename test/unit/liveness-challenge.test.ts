import { createRequire } from 'node:module';
import path, { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { challengeFromPlan, chooseChallengeType, NoCommonChallengeError, planChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import { faceBoxFromLandmarks, iou, ovalRect } from '../../local/aws/rekognition/liveness/geometry.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

/** The component's own geometry (not exported by its package: read from its build). */
const AMPLIFY_LIVENESS_UTILS = path.join(dirname(createRequire(fileURLToPath(new URL('../../package.json', import.meta.url))).resolve('@aws-amplify/ui-react-liveness')), 'esm/components/FaceLivenessDetector/service/utils/liveness.mjs');

const AMPLIFY = 'FaceMovementAndLightChallenge_2.0.0,FaceMovementChallenge_1.0.0';

describe('chooseChallengeType', () => {
  it("takes FaceMovementAndLightChallenge, Rekognition's default, when the session states no preference", () => {
    expect(chooseChallengeType(AMPLIFY, undefined)).toEqual({ type: 'FaceMovementAndLightChallenge', version: '2.0.0' });
    expect(chooseChallengeType('FaceMovementAndLightChallenge_1.0.0', undefined)).toEqual({ type: 'FaceMovementAndLightChallenge', version: '1.0.0' });
    expect(() => chooseChallengeType('FaceMovementChallenge_1.0.0', undefined)).toThrow(NoCommonChallengeError);
  });

  it("follows the session's ChallengePreferences in order, within their version ranges", () => {
    expect(chooseChallengeType(AMPLIFY, [{ Type: 'FaceMovementAndLightChallenge' }])).toEqual({ type: 'FaceMovementAndLightChallenge', version: '2.0.0' });
    expect(chooseChallengeType(AMPLIFY, [{ Type: 'FaceMovementAndLightChallenge', Versions: { Maximum: '1.9.0' } }, { Type: 'FaceMovementChallenge' }])).toEqual({ type: 'FaceMovementChallenge', version: '1.0.0' });
    expect(() => chooseChallengeType('FaceMovementChallenge_1.0.0', [{ Type: 'FaceMovementAndLightChallenge' }])).toThrow(NoCommonChallengeError);
    expect(() => chooseChallengeType('FaceMovementChallenge_9.0.0', undefined)).toThrow(NoCommonChallengeError);
  });
});

describe('the oval', () => {
  it('stays inside the video, is tall enough to make a face come close, and moves from one session to the next', () => {
    const centres = new Set<number>();
    for (let i = 0; i < 200; i++) {
      for (const [w, h] of [[640, 480], [1280, 720], [480, 640]]) {
        const { OvalParameters: o } = challengeFromPlan(planChallenge(), 'FaceMovementChallenge', '1.0.0', w, h);
        expect(o.CenterX - o.Width / 2).toBeGreaterThanOrEqual(0);
        expect(o.CenterX + o.Width / 2).toBeLessThanOrEqual(w);
        expect(o.CenterY - o.Height / 2).toBeGreaterThanOrEqual(-1);
        expect(o.CenterY + o.Height / 2).toBeLessThanOrEqual(h + 1);
        expect(o.Height / o.Width).toBeCloseTo(1.618, 1);
        expect(o.Height).toBeGreaterThanOrEqual(0.5 * h);
        if (w === 640) centres.add(o.CenterX);
      }
    }
    // Random per session (node:crypto), over a span of the width.
    expect(centres.size).toBeGreaterThan(100);
    expect(Math.max(...centres) - Math.min(...centres)).toBeGreaterThan(100);
  });

  it('fits the video in whole pixels at the ends of its random range too, odd sizes included', () => {
    const ends = [0, 0.5, 0.999999, 1];
    for (const [w, h] of [[640, 480], [1280, 720], [480, 640], [641, 481], [1920, 1080], [720, 1280], [481, 641]]) {
      for (const Width of ends) for (const CenterX of ends) for (const CenterY of ends) {
        const plan = { ...planChallenge(), OvalSeeds: { Width, CenterX, CenterY } };
        const { OvalParameters: o } = challengeFromPlan(plan, 'FaceMovementChallenge', '1.0.0', w, h);
        for (const v of Object.values(o)) expect(Number.isInteger(v)).toBe(true);
        expect(o.CenterX - o.Width / 2).toBeGreaterThanOrEqual(0);
        expect(o.CenterX + o.Width / 2).toBeLessThanOrEqual(w);
        expect(o.CenterY - o.Height / 2).toBeGreaterThanOrEqual(0);
        expect(o.CenterY + o.Height / 2).toBeLessThanOrEqual(h);
      }
    }
  });

  it('is the same for the same plan and video size (the session file lets a test film for it)', () => {
    const plan = planChallenge();
    expect(challengeFromPlan(plan, 'FaceMovementChallenge', '1.0.0', 640, 480)).toEqual(challengeFromPlan(plan, 'FaceMovementChallenge', '1.0.0', 640, 480));
  });

  it('gives the light challenge black first, then colours never twice in a row', () => {
    const { ColorSequences } = challengeFromPlan(planChallenge(), 'FaceMovementAndLightChallenge', '2.0.0', 640, 480);
    expect(ColorSequences![0]).toEqual({ FreshnessColor: { RGB: [0, 0, 0] }, DownscrollDuration: 0, FlatDisplayDuration: 75 });
    for (let i = 2; i < ColorSequences!.length; i++) expect(ColorSequences![i].FreshnessColor.RGB).not.toEqual(ColorSequences![i - 1].FreshnessColor.RGB);
  });
});

describe("Amplify's face box", () => {
  const ears = { earLeft: { x: 290, y: 230 }, earRight: { x: 350, y: 230 } };
  const oval = ovalRect({ CenterX: 320, CenterY: 240, Width: 220, Height: 356 });

  it('is centred between the eyes and the nose, as wide as pupils and eye-to-mouth say, and matches an oval of its size', () => {
    const face = { eyeLeft: { x: 280, y: 200 }, eyeRight: { x: 360, y: 200 }, nose: { x: 320, y: 240 }, mouth: { x: 320, y: 280 }, ...ears };
    const box = faceBoxFromLandmarks(face, oval, 1.618, 480);
    expect((box.left + box.right) / 2).toBeCloseTo(320);
    expect((box.top + box.bottom) / 2).toBeCloseTo(220);
    expect(box.right - box.left).toBeCloseTo((2 * 80 + 1.8 * 80) / 2);
    const itsOval = ovalRect({ CenterX: 320, CenterY: (box.top + box.bottom) / 2, Width: box.right - box.left, Height: box.bottom - box.top });
    expect(iou(box, itsOval)).toBeCloseTo(1);
  });

  it('reaches out to the ears where they stick out, and centres on the eyes once they are below half the oval\'s bottom edge', () => {
    const face = { eyeLeft: { x: 280, y: 200 }, eyeRight: { x: 360, y: 200 }, nose: { x: 320, y: 240 }, mouth: { x: 320, y: 280 }, earLeft: { x: 230, y: 230 }, earRight: { x: 420, y: 230 } };
    const box = faceBoxFromLandmarks(face, oval, 1.618, 480);
    expect(box.left).toBe(230);
    expect(box.right).toBe(420);
    const low = { ...face, eyeLeft: { x: 280, y: 250 }, eyeRight: { x: 360, y: 250 }, nose: { x: 320, y: 290 }, mouth: { x: 320, y: 330 } };
    const lowBox = faceBoxFromLandmarks(low, oval, 1.618, 480);
    expect(oval.bottom / 2).toBeLessThan(250);
    expect((lowBox.top + lowBox.bottom) / 2).toBeCloseTo(250);
  });

  it("is the box the component's own generateBboxFromLandmarks computes on its mirrored view, for any face and oval", async () => {
    const amplify = (await import(pathToFileURL(AMPLIFY_LIVENESS_UTILS).href)) as { generateBboxFromLandmarks: (input: unknown) => { left: number; right: number; top: number; bottom: number } };
    const random = seededRandom(20261207);
    const width = 640;
    const mirror = (p: { x: number; y: number }) => [width - p.x, p.y];
    for (let i = 0; i < 200; i++) {
      const at = (x: number, y: number) => ({ x: x + (random() - 0.5) * 40, y: y + (random() - 0.5) * 40 });
      const cx = 160 + random() * 320;
      const cy = 120 + random() * 240;
      const face = { eyeLeft: at(cx - 40, cy - 30), eyeRight: at(cx + 40, cy - 30), nose: at(cx, cy), mouth: at(cx, cy + 40), earLeft: at(cx - 90, cy), earRight: at(cx + 90, cy) };
      const ovalParameters = { CenterX: 200 + random() * 240, CenterY: 200 + random() * 80, Width: 180 + random() * 120, Height: 0 };
      ovalParameters.Height = 1.618 * ovalParameters.Width;
      const ours = faceBoxFromLandmarks(face, ovalRect(ovalParameters), 1.618, 480);
      // The component's detector sees the camera mirrored: the image's left ear is then on its right.
      const theirs = amplify.generateBboxFromLandmarks({
        ovalHeightWidthRatio: 1.618,
        face: { leftEye: mirror(face.eyeRight), rightEye: mirror(face.eyeLeft), nose: mirror(face.nose), mouth: mirror(face.mouth), leftEar: mirror(face.earLeft), rightEar: mirror(face.earRight) },
        oval: { centerX: width - ovalParameters.CenterX, centerY: ovalParameters.CenterY, width: ovalParameters.Width, height: ovalParameters.Height },
        frameHeight: 480,
      });
      expect(ours.left).toBeCloseTo(width - theirs.right, 6);
      expect(ours.right).toBeCloseTo(width - theirs.left, 6);
      expect(ours.top).toBeCloseTo(theirs.top, 6);
      expect(ours.bottom).toBeCloseTo(theirs.bottom, 6);
    }
  });
});
