/**
 * The numbers the consent notice promises: the running verification policy (from /config.json)
 * and the image bucket's own lifetime rule.
 */
import { useConfig } from '../app/config-context.ts';

/** Whatever happens, the bucket deletes uploads after this long (its lifecycle rule, in cdk/constructs/storage.ts). */
const UPLOADS_MAX_DAYS = 1;

export interface Retention {
  /** An unfinished session, and its photos, expire after this long. */
  sessionMinutes: number;
  /** Whatever happens, the bucket deletes uploads after this long. */
  uploadsMaxDays: number;
  /** A session waits this long for an administrator's review. */
  reviewDays: number;
  /** A finished session's record (no photos) is kept this long. */
  recordDays: number;
  /** Comparisons per session. */
  attemptsPerSession: number;
  /** The wait after too many attempts, or after a failed verification. */
  coolDownMinutes: number;
}

export function useRetention(): Retention {
  const { sessionMinutes, reviewDays, recordDays, attemptsPerSession, coolDownMinutes } = useConfig().verification;
  return { sessionMinutes, uploadsMaxDays: UPLOADS_MAX_DAYS, reviewDays, recordDays, attemptsPerSession, coolDownMinutes };
}
