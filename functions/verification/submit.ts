import type { Requester, VerificationContext } from './context.ts';
import { applyOutcome } from './apply.ts';
import { VerificationError } from './errors.ts';
import { comparisonTarget, readLiveness } from './evidence.ts';
import { expireSession } from './expire.ts';
import { judge } from './judge.ts';
import { reasons } from './messages.ts';
import { moveSession } from './moves.ts';
import { getSession, visibleState, type SessionRecord } from './sessions.ts';
import { viewOf, type VerificationView } from './view.ts';

/**
 * Judges the session's liveness check: reads what it is judged on (the ID photo or the user's
 * reference face, and the liveness result from Rekognition), takes the session into PROCESSING,
 * which uses the liveness session up, judges (`judge.ts`) and applies the outcome (`apply.ts`):
 * VERIFIED with a token, NEEDS_REVIEW, a retry with a reason and the attempts left, or FAILED.
 * Nothing read from the client is trusted: the server reads the liveness result itself.
 */
export async function submitVerification(context: VerificationContext, id: string, requester: Requester): Promise<VerificationView> {
  const session = await getSession(context.tables.sessions, id);
  if (!session) throw new VerificationError('NotFound', 'There is no such verification session.');
  const state = visibleState(session, context.now());
  if (state === 'EXPIRED') return viewOf(await expireSession(context, session), context);
  if (state === 'FAILED') throw new VerificationError('RateLimited', reasons.noAttemptsLeft, { state });
  if (state !== 'REQUIRES_INPUT') throw new VerificationError('ConflictError', `This session is ${state}.`, { state });

  // A bad ID photo costs no attempt and leaves the session waiting; the refusal carries the
  // session, as one found by the face models does, so a client can show both.
  const target = await comparisonTarget(context, session).catch((error: unknown) => {
    if (error instanceof VerificationError && error.type === 'InvalidImage') throw new VerificationError(error.type, error.message, { ...error.data, verification: viewOf(session, context) });
    throw error;
  });
  const liveness = await readLiveness(context, session);
  if (liveness.kind === 'expired') return voidLiveness(context, session, requester);

  const processing = await moveSession(context, session, {
    // An interrupted check left the session PROCESSING; it is taken over like a waiting one.
    from: [session.state === 'PROCESSING' ? 'PROCESSING' : 'REQUIRES_INPUT'],
    changes: { state: 'PROCESSING' },
    // Single use: whatever happens next, this liveness session is never read again.
    remove: ['livenessSessionId', 'livenessExpiresAt'],
    expect: { livenessSessionId: liveness.livenessSessionId },
    audit: [],
  });
  if (!processing) throw new VerificationError('ConflictError', 'This session is already being checked, or its liveness check was replaced.');
  return applyOutcome(context, processing, await judge(context, processing, liveness.result, target), requester);
}

/** A liveness session past its time is void: the session waits for a new one, and nothing was spent. */
async function voidLiveness(context: VerificationContext, session: SessionRecord, requester: Requester): Promise<VerificationView> {
  const waiting = await moveSession(
    context,
    session,
    {
      from: [session.state],
      changes: { state: 'REQUIRES_INPUT', reason: reasons.livenessExpired },
      remove: ['livenessSessionId', 'livenessExpiresAt'],
      expect: { livenessSessionId: session.livenessSessionId },
      audit: [{ action: 'LIVENESS_CHECK_EXPIRED', outcome: 'REQUIRES_INPUT', details: { kind: session.kind } }],
    },
    requester,
  );
  return viewOf(waiting ?? session, context);
}
