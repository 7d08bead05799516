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
  /** Comparisons one session may run before it is FAILED. */
  attemptsPerSession: number;
  /** Comparisons one email may run within `windowMinutes`. */
  attemptsPerEmail: number;
  /** Comparisons (and sessions started) one source address may run within `windowMinutes`. */
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

export const defaultVerificationPolicy: VerificationPolicy = {
  signup: 'invite',
  // See BENCHMARKS.md (bench/faces): at 90 the offline matcher accepts about 0.15 % of
  // impostor pairs; Rekognition's own default of 80 is meant for search, not for verification.
  acceptSimilarity: 90,
  reviewSimilarity: 80,
  documentChecks: true,
  minimumAge: 0,
  documentConfidence: 80,
  qualityFilter: 'AUTO',
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
  const policy: VerificationPolicy = {
    signup,
    acceptSimilarity: number('SECURETASK_FACE_ACCEPT', base.acceptSimilarity, 1, 100),
    reviewSimilarity: number('SECURETASK_FACE_REVIEW', base.reviewSimilarity, 0, 100),
    documentChecks: flag('SECURETASK_DOCUMENT_CHECKS', base.documentChecks),
    minimumAge: number('SECURETASK_MINIMUM_AGE', base.minimumAge, 0, 120),
    documentConfidence: number('SECURETASK_DOCUMENT_CONFIDENCE', base.documentConfidence, 0, 100),
    qualityFilter: qualityFilter as VerificationPolicy['qualityFilter'],
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
  'acceptSimilarity' | 'reviewSimilarity' | 'attemptsPerSession' | 'coolDownMinutes' | 'sessionMinutes' | 'reviewDays' | 'recordDays'
>;

/** The public part of a policy, for the web app's `/config.json`. */
export function publicVerificationPolicy(policy: VerificationPolicy): PublicVerificationPolicy {
  const { acceptSimilarity, reviewSimilarity, attemptsPerSession, coolDownMinutes, sessionMinutes, reviewDays, recordDays } = policy;
  return { acceptSimilarity, reviewSimilarity, attemptsPerSession, coolDownMinutes, sessionMinutes, reviewDays, recordDays };
}
