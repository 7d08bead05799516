import { deletePrefix } from '../shared/uploads.ts';
import type { VerificationContext } from './context.ts';
import { imageKeys } from './image-keys.ts';
import { reasons } from './messages.ts';
import { moveSession } from './moves.ts';
import { getSession, OPEN_STATES, type SessionRecord, type SessionState } from './sessions.ts';

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
  await deletePrefix(context.bucket, imageKeys.sessionPrefix(session.id));
  const ended = await moveSession(
    context,
    session,
    {
      from: OPEN_STATES,
      changes: {
        state,
        reason: state === 'EXPIRED' ? reasons.expired : reasons.canceled,
        purgeAt: Math.floor(context.now().getTime() / 1000) + context.policy.recordDays * 24 * 3600,
      },
      // Whatever liveness check was open is void with the session; what was read from the ID goes with its images.
      remove: ['livenessSessionId', 'livenessExpiresAt', 'referenceImageKey', 'auditImageKeys', 'document'],
      audit: [
        {
          action: state === 'EXPIRED' ? 'VERIFICATION_EXPIRED' : 'VERIFICATION_CANCELED',
          outcome: state,
          actorId: actor.actorId,
          details: { previousState: session.state, kind: session.kind, imagesDeleted: true },
        },
      ],
    },
    { sourceIp: actor.sourceIp ?? null },
  );
  // Someone else moved it first (they audit their own move): answer the session as it now is.
  return ended ?? (await getSession(context.tables.sessions, session.id)) ?? session;
}

/** Expires a session whose time is up (the sweeper, or a person who comes back too late). */
export function expireSession(context: EndingContext, session: SessionRecord): Promise<SessionRecord> {
  return endSession(context, session, 'EXPIRED', { actorId: 'system' });
}
