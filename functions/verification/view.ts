import type { VerificationContext } from './context.ts';
import { reasons } from './messages.ts';
import { visibleState, wasInterrupted, type SessionRecord, type UploadPurpose } from './sessions.ts';

/** A presigned PUT as the API answers it. */
export interface PresignedUpload {
  purpose: UploadPurpose;
  url: string;
  headers: string;
  expiresAt: string;
}

/** The `Verification` type of the schema: what the person holding the session id may see. */
export interface VerificationView {
  id: string;
  kind: SessionRecord['kind'];
  state: SessionRecord['state'];
  reason: string | null;
  attemptsLeft: number;
  expiresAt: string;
  createdAt: string;
  uploads: PresignedUpload[];
  token: string | null;
  tokenExpiresAt: string | null;
}

/** The session as its holder sees it; never the email, the similarity or the user id. */
export function viewOf(
  session: SessionRecord,
  context: Pick<VerificationContext, 'policy' | 'now'>,
  extra: { uploads?: PresignedUpload[]; token?: { token: string; expiresAt: Date } } = {},
): VerificationView {
  const state = visibleState(session, context.now());
  return {
    id: session.id,
    kind: session.kind,
    state,
    reason: state === 'EXPIRED' ? reasons.expired : wasInterrupted(session, context.now()) ? reasons.interrupted : (session.reason ?? null),
    attemptsLeft: Math.max(0, context.policy.attemptsPerSession - session.attempts),
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    createdAt: session.createdAt,
    uploads: extra.uploads ?? [],
    token: extra.token?.token ?? null,
    tokenExpiresAt: extra.token?.expiresAt.toISOString() ?? null,
  };
}
