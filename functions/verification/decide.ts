import type { VerificationPolicy } from '../../api/verification-policy.ts';
import type { QualityFinding } from './quality-gate.ts';

/** What a similarity means under the policy. */
export type Decision = 'ACCEPT' | 'REVIEW' | 'REJECT';

/**
 * Accept at or above the accept threshold; between the review and accept thresholds, an admin
 * decides (onboarding only: a face sign-in has no one to wait for, so it is rejected); below,
 * reject. A comparison that failed the quality gate (`quality-gate.ts`) is not decided on its
 * similarity at all: an admin looks (onboarding), or the sign-in is refused.
 */
export function decide(
  similarity: number,
  policy: Pick<VerificationPolicy, 'acceptSimilarity' | 'reviewSimilarity'>,
  kind: 'ONBOARDING' | 'FACE_LOGIN',
  quality: readonly QualityFinding[] = [],
): Decision {
  if (quality.length > 0) return kind === 'ONBOARDING' ? 'REVIEW' : 'REJECT';
  if (similarity >= policy.acceptSimilarity) return 'ACCEPT';
  if (kind === 'ONBOARDING' && similarity >= policy.reviewSimilarity) return 'REVIEW';
  return 'REJECT';
}
