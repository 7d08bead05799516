import type { VerificationPolicy } from '../../api/verification-policy.ts';

/** What a similarity means under the policy. */
export type Decision = 'ACCEPT' | 'REVIEW' | 'REJECT';

/**
 * Accept at or above the accept threshold; between the review and accept thresholds, an admin
 * decides (onboarding only: a face sign-in has no one to wait for, so it is rejected); below,
 * reject.
 */
export function decide(similarity: number, policy: Pick<VerificationPolicy, 'acceptSimilarity' | 'reviewSimilarity'>, kind: 'ONBOARDING' | 'FACE_LOGIN'): Decision {
  if (similarity >= policy.acceptSimilarity) return 'ACCEPT';
  if (kind === 'ONBOARDING' && similarity >= policy.reviewSimilarity) return 'REVIEW';
  return 'REJECT';
}
