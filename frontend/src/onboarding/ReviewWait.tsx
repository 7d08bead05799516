/**
 * NEEDS_REVIEW: the faces were close but not certain, so an administrator decides. Says how long
 * that may take, what happens next (an email; then face sign-in), and that the page keeps
 * checking: the flow re-reads the session every few seconds while this is shown.
 */
import type { Verification } from '../identity/api.ts';
import { formatMoment } from '../identity/time.ts';
import { useRetention } from './retention.ts';

/** What waiting for review means: the deadline, the email, then face sign-in. */
export function ReviewWait({ verification }: { verification: Verification }) {
  const retention = useRetention();
  return (
    <>
      <p className="id-reason">{verification.reason ?? 'An administrator will review your verification.'}</p>
      <ul className="onb-next">
        <li>
          An administrator of your team compares your face from the liveness check with your ID. This can take up to {retention.reviewDays} days: if nobody
          decides by <strong>{formatMoment(verification.expiresAt)}</strong>, the request expires and your photos are deleted.
        </li>
        <li>You get an email with the decision, so you may close this page.</li>
        <li>Once approved, you sign in with your face: no need to verify again.</li>
      </ul>
      <p className="onb-polling" role="status">
        <span className="onb-pulse" aria-hidden="true" /> This page checks for the decision every few seconds.
      </p>
    </>
  );
}
