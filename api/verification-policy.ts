/**
 * How identity verification decides and how much it allows: one typed policy, read from the
 * environment locally and from CDK context in a deployment, handed to the verify function as
 * one `VERIFICATION_POLICY` variable so both places run the same numbers.
 */
export interface VerificationPolicy {
  /** `invite`: only invited emails (and ADMIN_EMAILS) may start; `open`: anyone may. */
  signup: 'invite' | 'open';
  /** Similarity (0-100, Rekognition's scale) at or above which a face is accepted. */
  acceptSimilarity: number;
  /** Similarity at or above which (and below accept) a person waits for an admin's review. */
  reviewSimilarity: number;
  /**
   * Face Liveness confidence (0-100) at or above which the person in front of the camera counts
   * as live; below, the check fails and costs an attempt. AWS suggests 50-60 against presentation
   * attacks and 80-90 against injected and pre-recorded video.
   */
  livenessThreshold: number;
  /**
   * The Face Liveness challenge asked for: `FaceMovementAndLightChallenge` (the face moves into an
   * oval while the screen lights it with a colour sequence drawn for the session; Rekognition's
   * default, and the one that refuses a recording made for another session) or
   * `FaceMovementChallenge` (the oval only: no flashing screen, but a recording made for a
   * session whose oval fell close to this one's can pass). AWS's shared responsibility model for
   * Face Liveness describes the choice.
   */
  livenessChallenge: 'FaceMovementAndLightChallenge' | 'FaceMovementChallenge';
  /**
   * Read the ID (Textract AnalyzeID; offline, the OCR stand-in) and check it: it is a document,
   * its MRZ check digits hold and agree with the printed fields, it has not expired, the name on
   * it is the name entered, and (with `minimumAge`) the holder is old enough. Onboarding only.
   */
  documentChecks: boolean;
  /** The youngest age allowed, from the document's date of birth; 0: no age check. */
  minimumAge: number;
  /**
   * A field read with less confidence than this (0-100) is doubtful: it can pass a check but not
   * fail one (the person goes to review, not away), and the MRZ's value is preferred to it.
   */
  documentConfidence: number;
  /** Rekognition's QualityFilter for CompareFaces (the offline matcher applies the same names). */
  qualityFilter: 'NONE' | 'AUTO' | 'LOW' | 'MEDIUM' | 'HIGH';
  /**
   * A comparison whose faces fall short of these is not decided on its similarity: it goes to an
   * admin's review (onboarding) or is refused with a request for a clearer photo (face sign-in).
   * Read from what CompareFaces returns, in AWS and offline alike (`functions/verification/quality-gate.ts`).
   */
  qualityGate: QualityGatePolicy;
  /** Decisions (a failed liveness check, a replayed image, a face comparison) one session may take before it is FAILED. */
  attemptsPerSession: number;
  /** Liveness checks one email may start within `windowMinutes` (each submit needs a new one). */
  attemptsPerEmail: number;
  /** Liveness checks one source address may start within `windowMinutes`. */
  attemptsPerSource: number;
  windowMinutes: number;
  /** How long an email or address that went over a limit must wait. */
  coolDownMinutes: number;
  /** How long a session may stay unfinished before it EXPIRES and its images are deleted. */
  sessionMinutes: number;
  /** How long a session may wait for review before it EXPIRES and its images are deleted. */
  reviewDays: number;
  /** How long a finished session's record (no images) is kept for the audit trail. */
  recordDays: number;
  /**
   * The first person to verify becomes the admin when nobody is configured in ADMIN_EMAILS and
   * there are no users yet. Only the local runtime turns it on, for a fresh install.
   */
  firstUserBecomesAdmin: boolean;
}

/** The quality gate's floors and ceilings; a measure a backend does not report (NaN) is not judged. */
export interface QualityGatePolicy {
  /** Narrowest face, in pixels of its image (Rekognition asks for at least 40). */
  minFacePixels: number;
  /** Lowest Quality.Sharpness, 0-100. */
  minSharpness: number;
  /** Lowest Quality.Brightness, 0-100. */
  minBrightness: number;
  /** Largest head turn left or right (Pose.Yaw), degrees. */
  maxYawDegrees: number;
  /** Largest head tilt up or down (Pose.Pitch), degrees. */
  maxPitchDegrees: number;
}

/**
 * What the thresholds mean, measured: the offline matcher's false accepts and rejects at a
 * Similarity, on people not used to place the scale (people-disjoint cross-validation over the 36
 * people of ../shared/faces/lfw: held-out counts summed over 20 random 4-fold splits; see
 * local/faces/similarity.ts and BENCHMARKS.md). Rekognition publishes no such rates: in AWS the
 * same numbers are its own scale (docs/verification.md maps the two).
 */
export interface MeasuredRates {
  similarity: number;
  falseAcceptRate: number;
  falseRejectRate: number;
  impostorPairs: number;
  genuinePairs: number;
  people: number;
}

const HELD_OUT = { impostorPairs: 722_133, genuinePairs: 90_260, people: 36 };

/** The offline matcher's measured rates at the Similarity values the scale was placed at. */
export const MEASURED_RATES: readonly MeasuredRates[] = [
  { similarity: 80, falseAcceptRate: 0.000992, falseRejectRate: 0.011, ...HELD_OUT },
  { similarity: 90, falseAcceptRate: 0.000026, falseRejectRate: 0.062, ...HELD_OUT },
  { similarity: 99, falseAcceptRate: 0.0000014, falseRejectRate: 0.138, ...HELD_OUT },
];

export const defaultVerificationPolicy: VerificationPolicy = {
  signup: 'invite',
  // Offline (local/faces/similarity.ts, BENCHMARKS.md), on people not used to choose them: at 90
  // the matcher let in 0.0026 % of impostor pairs and sent 6.2 % of genuine ones below it; at 80,
  // 0.099 % and 1.1 %. Rekognition documents 80 as CompareFaces' default and recommends 99 where
  // accuracy matters most (docs/verification.md).
  acceptSimilarity: 90,
  reviewSimilarity: 80,
  // Identity verification is where injected and replayed video is attempted: the high band.
  livenessThreshold: 80,
  livenessChallenge: 'FaceMovementAndLightChallenge',
  documentChecks: true,
  minimumAge: 0,
  documentConfidence: 80,
  qualityFilter: 'AUTO',
  // Placed on lfw (571 photos): below these, genuine pairs were refused 2-8 times as often
  // (pitch over 20 degrees: 47 % against 6 %; sharpness under 10: 16 %).
  qualityGate: { minFacePixels: 40, minSharpness: 8, minBrightness: 10, maxYawDegrees: 30, maxPitchDegrees: 20 },
  attemptsPerSession: 3,
  attemptsPerEmail: 6,
  attemptsPerSource: 20,
  windowMinutes: 60,
  coolDownMinutes: 15,
  sessionMinutes: 15,
  reviewDays: 7,
  recordDays: 30,
  firstUserBecomesAdmin: false,
};

/** Reads `SECURETASK_SIGNUP`, `SECURETASK_FACE_ACCEPT`, ... over the defaults; throws on nonsense. */
export function verificationPolicyFromEnv(get: (name: string) => string | undefined, base = defaultVerificationPolicy): VerificationPolicy {
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = get(name);
    if (raw === undefined || raw === '') return fallback;
    if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be "true" or "false", got "${raw}"`);
    return raw === 'true';
  };
  const signup = get('SECURETASK_SIGNUP') || base.signup;
  if (signup !== 'invite' && signup !== 'open') throw new Error(`SECURETASK_SIGNUP must be "invite" or "open", got "${signup}"`);
  const qualityFilter = (get('SECURETASK_FACE_QUALITY_FILTER') || base.qualityFilter).toUpperCase();
  if (!['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH'].includes(qualityFilter)) {
    throw new Error(`SECURETASK_FACE_QUALITY_FILTER must be NONE, AUTO, LOW, MEDIUM or HIGH, got "${qualityFilter}"`);
  }
  const livenessChallenge = get('SECURETASK_LIVENESS_CHALLENGE') || base.livenessChallenge;
  if (livenessChallenge !== 'FaceMovementAndLightChallenge' && livenessChallenge !== 'FaceMovementChallenge') {
    throw new Error(`SECURETASK_LIVENESS_CHALLENGE must be "FaceMovementAndLightChallenge" or "FaceMovementChallenge", got "${livenessChallenge}"`);
  }
  const policy: VerificationPolicy = {
    signup,
    acceptSimilarity: number('SECURETASK_FACE_ACCEPT', base.acceptSimilarity, 1, 100),
    reviewSimilarity: number('SECURETASK_FACE_REVIEW', base.reviewSimilarity, 0, 100),
    livenessThreshold: number('SECURETASK_LIVENESS_THRESHOLD', base.livenessThreshold, 1, 100),
    livenessChallenge,
    documentChecks: flag('SECURETASK_DOCUMENT_CHECKS', base.documentChecks),
    minimumAge: number('SECURETASK_MINIMUM_AGE', base.minimumAge, 0, 120),
    documentConfidence: number('SECURETASK_DOCUMENT_CONFIDENCE', base.documentConfidence, 0, 100),
    qualityFilter: qualityFilter as VerificationPolicy['qualityFilter'],
    qualityGate: {
      minFacePixels: number('SECURETASK_FACE_MIN_PIXELS', base.qualityGate.minFacePixels, 0, 10_000),
      minSharpness: number('SECURETASK_FACE_MIN_SHARPNESS', base.qualityGate.minSharpness, 0, 100),
      minBrightness: number('SECURETASK_FACE_MIN_BRIGHTNESS', base.qualityGate.minBrightness, 0, 100),
      maxYawDegrees: number('SECURETASK_FACE_MAX_YAW', base.qualityGate.maxYawDegrees, 0, 180),
      maxPitchDegrees: number('SECURETASK_FACE_MAX_PITCH', base.qualityGate.maxPitchDegrees, 0, 180),
    },
    attemptsPerSession: number('SECURETASK_ATTEMPTS_PER_SESSION', base.attemptsPerSession, 1, 20),
    attemptsPerEmail: number('SECURETASK_ATTEMPTS_PER_EMAIL', base.attemptsPerEmail, 1, 1000),
    attemptsPerSource: number('SECURETASK_ATTEMPTS_PER_SOURCE', base.attemptsPerSource, 1, 100000),
    windowMinutes: number('SECURETASK_ATTEMPT_WINDOW_MINUTES', base.windowMinutes, 1, 7 * 24 * 60),
    coolDownMinutes: number('SECURETASK_COOL_DOWN_MINUTES', base.coolDownMinutes, 0, 7 * 24 * 60),
    sessionMinutes: number('SECURETASK_SESSION_MINUTES', base.sessionMinutes, 1, 24 * 60),
    reviewDays: number('SECURETASK_REVIEW_DAYS', base.reviewDays, 1, 90),
    recordDays: number('SECURETASK_RECORD_DAYS', base.recordDays, 1, 3650),
    firstUserBecomesAdmin: (get('SECURETASK_FIRST_USER_ADMIN') ?? String(base.firstUserBecomesAdmin)) === 'true',
  };
  if (policy.reviewSimilarity > policy.acceptSimilarity) {
    throw new Error(`the review threshold (${policy.reviewSimilarity}) must not be above the accept threshold (${policy.acceptSimilarity})`);
  }
  return policy;
}

/** What people are told of the policy: thresholds, limits and retention (the web app shows them). */
export type PublicVerificationPolicy = Pick<
  VerificationPolicy,
  'acceptSimilarity' | 'reviewSimilarity' | 'livenessThreshold' | 'attemptsPerSession' | 'coolDownMinutes' | 'sessionMinutes' | 'reviewDays' | 'recordDays'
> & {
  /**
   * What the two thresholds were measured to mean for the offline matcher (null for a threshold
   * nobody measured); Rekognition publishes no rates, so in AWS they describe the offline scale only.
   */
  measured?: { accept: MeasuredRates | null; review: MeasuredRates | null };
};

/** The public part of a policy, for the web app's `/config.json`. */
export function publicVerificationPolicy(policy: VerificationPolicy): PublicVerificationPolicy {
  const { acceptSimilarity, reviewSimilarity, livenessThreshold, attemptsPerSession, coolDownMinutes, sessionMinutes, reviewDays, recordDays } = policy;
  const at = (similarity: number) => MEASURED_RATES.find((m) => m.similarity === similarity) ?? null;
  return {
    acceptSimilarity,
    reviewSimilarity,
    livenessThreshold,
    attemptsPerSession,
    coolDownMinutes,
    sessionMinutes,
    reviewDays,
    recordDays,
    measured: { accept: at(acceptSimilarity), review: at(reviewSimilarity) },
  };
}
