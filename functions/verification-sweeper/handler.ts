import type { VerificationPolicy } from '../../api/verification-policy.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { sweepExpiredSessions } from '../verification/sweep.ts';

const log = createLogger('verification-sweeper');

/** Scheduled: ends the verification sessions nobody finished in time, and deletes their images. */
export const handler = observe(log, async (): Promise<{ expired: number }> => {
  const policy = JSON.parse(requiredEnv('VERIFICATION_POLICY')) as VerificationPolicy;
  const expired = await sweepExpiredSessions({
    tables: { sessions: requiredEnv('VERIFICATION_SESSIONS_TABLE'), audit: requiredEnv('AUDIT_LOG_TABLE') },
    bucket: requiredEnv('IMAGES_BUCKET'),
    policy,
    now: () => new Date(),
  });
  if (expired > 0) log.info('expired sessions', { expired });
  return { expired };
});
