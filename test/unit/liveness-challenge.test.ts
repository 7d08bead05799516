import { describe, expect, it } from 'vitest';
import { challengeFromPlan, chooseChallengeType, NoCommonChallengeError, planChallenge } from '../../local/aws/rekognition/liveness/challenge.ts';
import { faceBoxFromLandmarks, iou, ovalRect } from '../../local/aws/rekognition/liveness/geometry.ts';

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
  it('is centred between the eyes and the nose, as wide as pupils and eye-to-mouth say, and matches an oval of its size', () => {
    const face = { eyeLeft: { x: 280, y: 200 }, eyeRight: { x: 360, y: 200 }, nose: { x: 320, y: 240 }, mouth: { x: 320, y: 280 } };
    const box = faceBoxFromLandmarks(face, 1.618, 480);
    expect((box.left + box.right) / 2).toBeCloseTo(320);
    expect(box.right - box.left).toBeCloseTo((2 * 80 + 1.8 * 80) / 2);
    const oval = ovalRect({ CenterX: 320, CenterY: (box.top + box.bottom) / 2, Width: box.right - box.left, Height: box.bottom - box.top });
    expect(iou(box, oval)).toBeCloseTo(1);
  });
});
