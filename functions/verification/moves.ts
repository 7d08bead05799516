/**
 * A session moves and the audit log says so, in one step: every state change of a verification
 * session goes through {@link moveSession}, which writes the audit entries of the move once the
 * conditional write has made it. A move that lost a race (someone else moved the session first)
 * writes nothing: the winner audits its own move.
 */
import { appendAudit, type AuditEntryInput } from '../shared/audit.ts';
import type { Requester } from './context.ts';
import { transition, type SessionRecord, type SessionState } from './sessions.ts';

/** One audit entry of a move; the session, the source address and the time are filled in. */
export interface MoveAudit {
  action: string;
  outcome?: string;
  /** Default: the session's user, or `session:<id>` for a person without an account. */
  actorId?: string;
  /** Default: the session id. */
  targetId?: string;
  details?: Record<string, unknown>;
}

/** A state change: from which states, what changes, and what the audit log records of it. */
export interface Move {
  from: readonly SessionState[];
  changes: Partial<Omit<SessionRecord, 'id'>> & { state: SessionState };
  remove?: (keyof SessionRecord)[];
  /** Further conditions: the move happens only if these attributes still hold these values. */
  expect?: Partial<Pick<SessionRecord, 'livenessSessionId'>>;
  audit: MoveAudit[];
}

/** Where the audit log is, and the clock. */
export interface MoveContext {
  tables: { sessions: string; audit: string };
  now: () => Date;
}

/**
 * Makes `move` if the session is still where `session` says (state and attempts); then appends
 * its audit entries. Answers the session as written, or undefined when it had moved on.
 */
export async function moveSession(context: MoveContext, session: SessionRecord, move: Move, requester?: Pick<Requester, 'sourceIp'>): Promise<SessionRecord | undefined> {
  const moved = await transition(context.tables.sessions, session, move.from, move.changes, { removeAttributes: move.remove, expect: move.expect });
  if (!moved) return undefined;
  const at = context.now();
  await Promise.all(move.audit.map((entry) => appendAudit(context.tables.audit, auditEntry(session, entry, requester?.sourceIp, at))));
  return moved;
}

/** Who acts in a session's audit entries when nobody else is named. */
export function actorOf(session: SessionRecord): string {
  return session.userId ?? `session:${session.id}`;
}

function auditEntry(session: SessionRecord, entry: MoveAudit, sourceIp: string | null | undefined, at: Date): AuditEntryInput {
  return {
    actorId: entry.actorId ?? actorOf(session),
    action: entry.action,
    targetId: entry.targetId ?? session.id,
    outcome: entry.outcome,
    sourceIp,
    details: entry.details,
    at,
  };
}
