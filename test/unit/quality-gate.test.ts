// The quality gate: a comparison of poor faces is not decided on its similarity.
import { describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { decide } from '../../functions/verification/decide.ts';
import type { DetectedFace, FaceComparison } from '../../functions/verification/faces/face-matcher.ts';
import { assessComparison, assessFace } from '../../functions/verification/quality-gate.ts';

const gate = defaultVerificationPolicy.qualityGate;
const policy = defaultVerificationPolicy;

function face(overrides: Partial<DetectedFace> = {}): DetectedFace {
  return {
    boundingBox: { left: 0.3, top: 0.2, width: 0.3, height: 0.4 },
    confidence: 99.9,
    quality: { brightness: 60, sharpness: 70 },
    pose: { roll: 2, yaw: 5, pitch: -4 },
    ...overrides,
  };
}

function comparison(source: DetectedFace, target: DetectedFace, similarity = 99): FaceComparison {
  return { similarity, sourceFace: source, targetFace: target, sourceImage: { width: 1000, height: 800 }, targetImage: { width: 1600, height: 1200 } };
}

describe('assessFace', () => {
  it('passes a clear, frontal face of a good size', () => {
    expect(assessFace(face(), { width: 1000, height: 800 }, gate)).toEqual([]);
  });

  it('names each problem: tiny, blurred, dark, turned away, tilted', () => {
    expect(assessFace(face({ boundingBox: { left: 0.5, top: 0.5, width: 0.02, height: 0.03 } }), { width: 1600, height: 1200 }, gate)).toEqual(['FACE_TOO_SMALL']);
    expect(assessFace(face({ quality: { brightness: 60, sharpness: 3 } }), undefined, gate)).toEqual(['BLURRED']);
    expect(assessFace(face({ quality: { brightness: 4, sharpness: 70 } }), undefined, gate)).toEqual(['TOO_DARK']);
    expect(assessFace(face({ pose: { roll: 0, yaw: -45, pitch: 0 } }), undefined, gate)).toEqual(['TURNED_AWAY']);
    expect(assessFace(face({ pose: { roll: 0, yaw: 0, pitch: 28 } }), undefined, gate)).toEqual(['TILTED']);
  });

  it('does not judge what the backend did not measure (Rekognition reports no source quality)', () => {
    expect(assessFace(face({ quality: { brightness: NaN, sharpness: NaN }, pose: undefined }), undefined, gate)).toEqual([]);
  });
});

describe('decide with the quality gate', () => {
  it('sends a blurred ID to review even at similarity 99, and refuses such a face sign-in', () => {
    const findings = assessComparison(comparison(face(), face({ quality: { brightness: 60, sharpness: 2 } })), gate);
    expect(findings).toEqual([{ image: 'target', problem: 'BLURRED' }]);
    expect(decide(99, policy, 'ONBOARDING', findings)).toBe('REVIEW');
    expect(decide(99, policy, 'FACE_LOGIN', findings)).toBe('REJECT');
  });

  it('sends a poor comparison to review rather than refusing it on a low similarity', () => {
    const findings = assessComparison(comparison(face({ pose: { roll: 0, yaw: 50, pitch: 0 } }), face()), gate);
    expect(findings).toEqual([{ image: 'source', problem: 'TURNED_AWAY' }]);
    expect(decide(20, policy, 'ONBOARDING', findings)).toBe('REVIEW');
  });

  it('decides a good comparison on its similarity alone', () => {
    const findings = assessComparison(comparison(face(), face()), gate);
    expect(findings).toEqual([]);
    expect(decide(95, policy, 'ONBOARDING', findings)).toBe('ACCEPT');
    expect(decide(85, policy, 'ONBOARDING', findings)).toBe('REVIEW');
    expect(decide(50, policy, 'ONBOARDING', findings)).toBe('REJECT');
  });
});
