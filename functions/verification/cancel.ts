import type { Requester, VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';
import { endSession, expireSession } from './expire.ts';
import { getSession, visibleState } from './sessions.ts';
import { viewOf, type VerificationView } from './view.ts';

/** Ends an unfinished session at its holder's request; its images are deleted. */
export async function cancelVerification(context: VerificationContext, id: string, requester: Requester): Promise<VerificationView> {
  const session = await getSession(context.tables.sessions, id);
  if (!session) throw new VerificationError('NotFound', 'There is no such verification session.');
  const state = visibleState(session, context.now());
  if (state === 'EXPIRED' && session.state !== 'EXPIRED') return viewOf(await expireSession(context, session), context);
  if (state === 'PROCESSING') throw new VerificationError('ConflictError', 'This session is being checked right now: wait for the result.', { state });
  if (state !== 'REQUIRES_INPUT' && state !== 'NEEDS_REVIEW') throw new VerificationError('ConflictError', `This session is already ${state}.`, { state });
  const canceled = await endSession(context, session, 'CANCELED', { actorId: session.userId ?? `session:${session.id}`, sourceIp: requester.sourceIp });
  return viewOf(canceled, context);
}
