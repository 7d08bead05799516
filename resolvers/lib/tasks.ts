import { util, type Context } from '@aws-appsync/utils';
import type { CreateTaskInput, RankPosition } from '../../api/generated/schema-types';

/** Every task sits on this board (one board per deployment for now). */
export const BOARD = 'main';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10000;
export const LABELS_MAX = 10;
export const LABEL_MAX = 32;
export const RANK_MAX = 64;
/** Tasks one moveTasks may move: two transaction items each, plus the audit entry, stay under 100. */
export const MOVES_MAX = 25;

/** The fields a history entry (and a task event) compares, from -> to. */
export const HISTORY_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels', 'rank'];
/** What a member may change, and only on a task assigned to them. */
export const MEMBER_FIELDS = ['status', 'priority', 'description', 'position'];

/** The fields a caller may set on a task: those of CreateTaskInput, optional and nullable on update. */
export type TaskFields = { [K in keyof CreateTaskInput]?: CreateTaskInput[K] | null };

export type TaskItem = Record<string, unknown> & { id: string; version: number; status: string; assigneeId?: string };

/** Checks the limits GraphQL types cannot express; a breach is a `ValidationError`. */
export function validateTaskFields(fields: TaskFields, creating: boolean): void {
  if (creating || fields.title !== undefined) {
    const title = fields.title === null || fields.title === undefined ? '' : fields.title.trim();
    if (title.length < 1 || title.length > TITLE_MAX) {
      util.error(`title must be 1 to ${TITLE_MAX} characters`, 'ValidationError', null, { field: 'title' });
    }
  }
  if (fields.description && fields.description.length > DESCRIPTION_MAX) {
    util.error(`description must be at most ${DESCRIPTION_MAX} characters`, 'ValidationError', null, { field: 'description' });
  }
  const labels = fields.labels;
  if (labels) {
    if (labels.length > LABELS_MAX) {
      util.error(`a task has at most ${LABELS_MAX} labels`, 'ValidationError', null, { field: 'labels' });
    }
    if (labels.some((label) => label.trim().length < 1 || label.length > LABEL_MAX)) {
      util.error(`each label must be 1 to ${LABEL_MAX} characters`, 'ValidationError', null, { field: 'labels' });
    }
  }
  if (fields.assigneeId !== undefined && fields.assigneeId !== null && (fields.assigneeId.length < 1 || fields.assigneeId.length > 128)) {
    util.error('assigneeId must be the id of an active user', 'ValidationError', null, { field: 'assigneeId' });
  }
}

// Ranks are base-62 fractions: '0' < ... < '9' < 'A' < ... < 'Z' < 'a' < ... < 'z' in byte order,
// so DynamoDB's string sort key orders them. A rank never ends in '0', so there is always room
// below it; between two ranks there is room unless they are adjacent ('V' and 'V0').
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 0 .. RANK_MAX-1, one per character a rank may have (APPSYNC_JS has no counted loops).
const POSITIONS = (DIGITS + DIGITS).split('').slice(0, RANK_MAX).map((_, i) => i);

function checkRank(rank: string, field: string): void {
  if (rank.length > RANK_MAX || !rank.split('').every((ch) => DIGITS.indexOf(ch) >= 0)) {
    util.error(`${field} is not a rank this API gave out`, 'ValidationError', null, { field: 'position' });
  }
}

/** The shortest rank strictly between `after` ('' or absent: the top) and `before` (absent: the bottom). */
export function rankBetween(after: string | null | undefined, before: string | null | undefined): string {
  const a = after || '';
  const b = before || '';
  checkRank(a, 'position.after');
  checkRank(b, 'position.before');
  if (a && b && a >= b) {
    util.error('position.after must rank above position.before', 'ValidationError', null, { field: 'position' });
  }
  const state = { out: '', done: false, bounded: b !== '' };
  POSITIONS.forEach((i) => {
    if (state.done) return;
    const low = i < a.length ? DIGITS.indexOf(a[i]) : 0;
    const high = state.bounded ? (i < b.length ? DIGITS.indexOf(b[i]) : 0) : DIGITS.length;
    if (high - low > 1) {
      state.out = state.out + DIGITS[Math.floor((low + high) / 2)];
      state.done = true;
      return;
    }
    state.out = state.out + DIGITS[low];
    // Taking the lower digit puts the result below `before` for good.
    if (high - low === 1) state.bounded = false;
  });
  if (!state.done) {
    util.error('there is no room between these two ranks', 'ValidationError', null, { field: 'position' });
  }
  return state.out;
}

/** A new card's rank: the bottom of its column, in creation order ('y' + the time in base 62). */
export function bottomRank(): string {
  const ms = util.time.nowEpochMilliSeconds();
  const code = [6, 5, 4, 3, 2, 1, 0].map((k) => DIGITS[Math.floor(ms / Math.pow(62, k)) % 62]).join('');
  return `y${code}V`;
}

/** The rank for a position argument, or undefined when none was given. */
export function rankFor(position: RankPosition | null | undefined): string | undefined {
  if (!position) return undefined;
  return rankBetween(position.after, position.before);
}

/** A field's value as history JSON text; null when absent. */
function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Each history field that differs between two versions of a task, from -> to. */
export function changesBetween(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  return HISTORY_FIELDS.map((field) => ({
    field,
    from: json(before ? before[field] : null),
    to: json(after ? after[field] : null),
  })).filter((change) => change.from !== change.to);
}

/** The history entry of one write, as an item of the write's own transaction. */
export function historyItem(
  ctx: Context,
  taskId: string,
  version: number,
  action: string,
  actorId: string,
  at: string,
  changes: { field: string; from: string | null; to: string | null }[],
) {
  return {
    putItem: {
      table: ctx.env.TASK_HISTORY_TABLE,
      key: { taskId, version },
      item: { action, actorId, at, changes },
      condition: { taskId: { attributeExists: false } },
    },
  };
}

/** That an assignee is an ACTIVE user, checked inside the transaction that assigns them. */
export function activeUserCheck(ctx: Context, userId: string) {
  return {
    conditionCheck: {
      table: ctx.env.USERS_TABLE,
      key: { id: userId },
      condition: { status: { eq: 'ACTIVE' } },
    },
  };
}

/** The task as the API shows it (without the board's index key). */
export function shown(task: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.keys(task)
    .filter((key) => key !== 'board')
    .forEach((key) => {
      out[key] = task[key];
    });
  if (!out.labels) out.labels = [];
  return out;
}

/** The cancellation reasons of a failed transaction (empty when it did not fail that way). */
export function cancellationReasons(ctx: Context): { type: string; item?: Record<string, unknown> }[] {
  if (!ctx.error) return [];
  const result = ctx.result as { cancellationReasons?: { type: string; item?: Record<string, unknown> }[] } | null;
  return result && result.cancellationReasons ? result.cancellationReasons : [];
}

/** A stale version: ConflictError carrying the task as it is now. */
export function conflict(current: Record<string, unknown>, expectedVersion: number): void {
  util.error(
    `task was changed by someone else: it is at version ${current.version}, not ${expectedVersion}`,
    'ConflictError',
    shown(current),
  );
}
