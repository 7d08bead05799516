// The verification policy: the quality gate's settings from the environment, and what /config.json
// tells people the thresholds mean.
import { describe, expect, it } from 'vitest';
import { defaultVerificationPolicy, MEASURED_RATES, publicVerificationPolicy, verificationPolicyFromEnv } from '../../api/verification-policy.ts';

const fromEnv = (env: Record<string, string>) => verificationPolicyFromEnv((name) => env[name]);

describe('the quality gate settings', () => {
  it('default to the measured limits and read SECURETASK_FACE_* over them', () => {
    expect(fromEnv({}).qualityGate).toEqual(defaultVerificationPolicy.qualityGate);
    expect(fromEnv({ SECURETASK_FACE_MIN_PIXELS: '80', SECURETASK_FACE_MAX_YAW: '20' }).qualityGate).toMatchObject({ minFacePixels: 80, maxYawDegrees: 20, maxPitchDegrees: 20 });
  });

  it('refuse nonsense with the variable named', () => {
    expect(() => fromEnv({ SECURETASK_FACE_MIN_SHARPNESS: 'sharp' })).toThrow(/SECURETASK_FACE_MIN_SHARPNESS must be a number from 0 to 100/);
    expect(() => fromEnv({ SECURETASK_FACE_MAX_PITCH: '-5' })).toThrow(/SECURETASK_FACE_MAX_PITCH/);
  });
});

describe('the liveness challenge', () => {
  it("is Rekognition's default, the light challenge, unless SECURETASK_LIVENESS_CHALLENGE names the movement challenge", () => {
    expect(fromEnv({}).livenessChallenge).toBe('FaceMovementAndLightChallenge');
    expect(fromEnv({ SECURETASK_LIVENESS_CHALLENGE: 'FaceMovementChallenge' }).livenessChallenge).toBe('FaceMovementChallenge');
    expect(() => fromEnv({ SECURETASK_LIVENESS_CHALLENGE: 'none' })).toThrow(/SECURETASK_LIVENESS_CHALLENGE must be "FaceMovementAndLightChallenge" or "FaceMovementChallenge", got "none"/);
  });
});

describe('publicVerificationPolicy', () => {
  it('states the measured rates of the configured thresholds, with the pairs and people behind them', () => {
    const shown = publicVerificationPolicy(defaultVerificationPolicy);
    expect(shown.measured?.accept).toMatchObject({ similarity: 90, impostorPairs: 722_133, genuinePairs: 90_260, people: 36 });
    expect(shown.measured?.accept?.falseAcceptRate).toBeLessThanOrEqual(0.0001);
    expect(shown.measured?.review).toMatchObject({ similarity: 80 });
    // Rates only ever belong to the threshold they were measured at.
    expect(publicVerificationPolicy({ ...defaultVerificationPolicy, acceptSimilarity: 93 }).measured?.accept).toBeNull();
    expect(MEASURED_RATES.map((m) => m.similarity)).toEqual([80, 90, 99]);
  });

  it('tells nothing of the limits people must not see (the quality gate, the signup mode)', () => {
    const shown = publicVerificationPolicy(defaultVerificationPolicy) as Record<string, unknown>;
    expect(shown.qualityGate).toBeUndefined();
    expect(shown.signup).toBeUndefined();
  });
});
