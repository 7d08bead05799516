/**
 * The audit log in people's words: action names, who acted (entries hold user ids, "system",
 * "anonymous" or "session:<id>" for someone without an account yet), and the JSON details as
 * labelled values.
 */
import type { AdminUserFieldsFragment, AuditAction } from '../../generated/graphql.ts';
import { displayName, formatDateTime } from '../format.ts';

/** Every AuditAction of the schema, in the order the filter lists them (by subject). */
export const ACTION_LABELS: Record<AuditAction, string> = {
  VERIFICATION_STARTED: 'Verification started',
  UPLOAD_REQUESTED: 'Upload link requested',
  LIVENESS_CHECK_STARTED: 'Liveness check started',
  LIVENESS_CHECK_EXPIRED: 'Liveness check expired',
  VERIFICATION_ATTEMPT: 'Verification attempt',
  VERIFICATION_DECIDED: 'Verification decided',
  VERIFICATION_REVIEWED: 'Verification reviewed',
  VERIFICATION_CANCELED: 'Verification canceled',
  VERIFICATION_EXPIRED: 'Verification expired',
  FACE_LOGIN_STARTED: 'Face sign-in started',
  TOKEN_ISSUED: 'Signed in (token issued)',
  SIGNED_OUT: 'Signed out',
  RATE_LIMITED: 'Rate limited',
  USER_INVITED: 'User invited',
  INVITATION_REVOKED: 'Invitation withdrawn',
  INVITATION_RESENT: 'Invitation resent',
  USER_ACTIVATED: 'User activated',
  USER_ROLE_CHANGED: 'Role changed',
  USER_STATUS_CHANGED: 'Status changed',
  USER_DELETED: 'User deleted',
  USER_ERASED: 'User data erased',
  BOARD_CREATED: 'Board created',
  BOARD_UPDATED: 'Board changed',
  BOARD_ARCHIVED: 'Board archived',
  BOARD_MEMBER_SET: 'Board member added or changed',
  BOARD_MEMBER_REMOVED: 'Board member removed',
  DASHBOARD_TOKEN_CREATED: 'Dashboard token created',
  DASHBOARD_TOKEN_REVOKED: 'Dashboard token revoked',
  TASK_CREATED: 'Task created',
  TASK_ASSIGNED: 'Task assigned',
  TASK_DELETED: 'Task deleted',
  TASKS_MOVED: 'Tasks moved',
};

export type Directory = ReadonlyMap<string, AdminUserFieldsFragment>;

/** Who or what an id names: a person's name and email, or words for the non-people. */
export interface Party {
  label: string;
  /** A second line: the email, or the raw id when it names nobody known. */
  detail?: string;
}

/** Who acted. */
export function partyOf(id: string, users: Directory): Party {
  const user = users.get(id);
  if (user) return { label: displayName(user), detail: user.name ? user.email : undefined };
  if (id === 'system') return { label: 'SecureTask', detail: 'a scheduled or background job' };
  if (id === 'anonymous') return { label: 'Someone without an account' };
  if (id.startsWith('session:')) return { label: 'Person verifying', detail: `session ${id.slice('session:'.length)}` };
  if (id.includes('@')) return { label: id };
  return { label: 'Erased or unknown user', detail: id };
}

const TASK_ACTIONS: ReadonlySet<AuditAction> = new Set(['TASK_CREATED', 'TASK_ASSIGNED', 'TASK_DELETED', 'TASKS_MOVED']);
const SESSION_ACTIONS: ReadonlySet<AuditAction> = new Set([
  'VERIFICATION_STARTED',
  'FACE_LOGIN_STARTED',
  'UPLOAD_REQUESTED',
  'VERIFICATION_ATTEMPT',
  'VERIFICATION_DECIDED',
  'VERIFICATION_CANCELED',
  'VERIFICATION_EXPIRED',
  'VERIFICATION_REVIEWED',
]);

/** What an entry was done to: a person, an email, a task or a verification session, by the action. */
export function targetOf(entry: { action: AuditAction; targetId: string; details: string | null }, users: Directory): Party {
  const id = entry.targetId;
  if (users.has(id) || id.includes('@')) return partyOf(id, users);
  if (TASK_ACTIONS.has(entry.action)) {
    const title = detailsObject(entry.details)?.title;
    return { label: typeof title === 'string' ? `Task “${title}”` : 'Task', detail: id };
  }
  if (SESSION_ACTIONS.has(entry.action) || id.startsWith('session:')) return { label: 'Verification session', detail: id.replace(/^session:/, '') };
  // Invitations are audited by their id (audit entries never hold an email).
  if (entry.action === 'USER_INVITED' || entry.action === 'INVITATION_REVOKED') return { label: 'Invitation', detail: id };
  if (entry.action.startsWith('USER_')) return { label: 'Erased or unknown user', detail: id };
  return { label: id };
}

function detailsObject(json: string | null): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = json ? JSON.parse(json) : undefined;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** "retryAfterSeconds" -> "Retry after seconds"; "assigneeId" -> "Assignee". */
function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .replace(/(.) id$/, '$1');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueText(value: unknown, users: Directory): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString();
  if (typeof value === 'string') {
    if (users.has(value)) return displayName(users.get(value)!);
    if (ISO_DATE_TIME.test(value)) return formatDateTime(value, { seconds: true });
    return value;
  }
  return JSON.stringify(value, null, 2);
}

/** An entry's details (AWSJSON) as label/value pairs; not JSON (or not an object): shown whole. */
export function detailsOf(json: string | null, users: Directory): { label: string; value: string }[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = typeof json === 'string' ? JSON.parse(json) : json;
  } catch {
    return [{ label: 'Details', value: json }];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [{ label: 'Details', value: valueText(parsed, users) }];
  return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => ({ label: humanize(key), value: valueText(value, users) }));
}

/** A `datetime-local` value (the viewer's time zone) as an AWSDateTime; `end` takes the minute's last instant. */
export function toInstant(local: string, { end = false } = {}): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  if (end) date.setSeconds(59, 999);
  return date.toISOString();
}
