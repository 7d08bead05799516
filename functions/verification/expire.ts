import { appendAudit } from '../shared/audit.ts';
import { deleteObjects } from '../shared/uploads.ts';
import type { VerificationContext } from './context.ts';
import { imageKeys } from './image-keys.ts';
import { reasons } from './messages.ts';
import { OPEN_STATES, transition, type SessionRecord, type SessionState } from './sessions.ts';

/** What ending a session needs: its tables, the bucket and the retention policy. */
export interface EndingContext {
  tables: { sessions: string; audit: string };
  bucket: string;
  policy: Pick<VerificationContext['policy'], 'recordDays'>;
  now: () => Date;
}

/**
 * Ends an open session as EXPIRED or CANCELED: its images are deleted first (a crash after
 * that leaves an open session with no images, which the sweeper ends later), then the state
 * moves, then the audit entry. Answers the session as it now is.
 */
export async function endSession(
  context: EndingContext,
  session: SessionRecord,
  state: Extract<SessionState, 'EXPIRED' | 'CANCELED'>,
  actor: { actorId: string; sourceIp?: string | null },
): Promise<SessionRecord> {
  await deleteObjects(context.bucket, imageKeys.sessionUploads(session.id));
  const now = context.now();
  const ended = await transition(context.tables.sessions, session, OPEN_STATES, {
    state,
    reason: state === 'EXPIRED' ? reasons.expired : reasons.canceled,
    purgeAt: Math.floor(now.getTime() / 1000) + context.policy.recordDays * 24 * 3600,
  }, { removeAttributes: ['document'] });
  if (!ended) return session; // someone else moved it first; they audit their own move
  await appendAudit(context.tables.audit, {
    actorId: actor.actorId,
    action: state === 'EXPIRED' ? 'VERIFICATION_EXPIRED' : 'VERIFICATION_CANCELED',
    targetId: session.id,
    outcome: state,
    sourceIp: actor.sourceIp,
    details: { previousState: session.state, kind: session.kind, imagesDeleted: true },
    at: now,
  });
  return ended;
}

/** Expires a session whose time is up (the sweeper, or a person who comes back too late). */
export function expireSession(context: EndingContext, session: SessionRecord): Promise<SessionRecord> {
  return endSession(context, session, 'EXPIRED', { actorId: 'system' });
}
