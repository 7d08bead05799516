/**
 * The face policy's thresholds (api/verification-policy.ts, published in `/config.json`), to
 * draw on the similarity meter.
 */
import { useConfig } from '../../app/config-context.ts';

export interface Thresholds {
  /** At or above: accepted without review. */
  accept: number;
  /** At or above (and below accept): an admin reviews. Below: rejected. */
  review: number;
}

export function useThresholds(): Thresholds {
  const { verification } = useConfig();
  return { accept: verification.acceptSimilarity, review: verification.reviewSimilarity };
}
