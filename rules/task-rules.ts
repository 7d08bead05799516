/**
 * The task rules, written once: the statuses and priorities, the limits, the checks of a task's
 * fields, card ranks, and the fields that changed between two versions of a task. The resolvers
 * (APPSYNC_JS), the Lambda functions (Node) and the web app (browsers) all import this file, so
 * it keeps to what all three run: the APPSYNC_JS subset (no classes, no try/catch, no regex
 * literals, no counted loops, no `in`, callbacks only to Array methods; `npm run lint` checks it
 * with the AppSync rules), no imports, no clock (callers pass the time in).
 *
 * A rule that can refuse answers a {@link Problem} (or null) instead of throwing: each side says
 * it its own way (a GraphQL error in a resolver, a form message in the app).
 */

/** A status column, left to right. */
export const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
/** Priorities, lowest first (the order the counters and the API list them in). */
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

/** The limits the API enforces and the app checks before sending. */
export const LIMITS = {
  title: 200,
  description: 10000,
  labels: 10,
  label: 32,
  comment: 5000,
  /** Ids (task, user, board) are 1 to 128 characters. */
  id: 128,
  /** A rank has at most 64 base-62 digits. */
  rank: 64,
  /** Tasks one moveTasks may move: two transaction items each, plus the audit entry, stay under 100. */
  moves: 25,
  /** People one comment may mention. */
  mentions: 10,
};

/** The fields a history entry and a task event compare, from -> to. */
export const TRACKED_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels', 'rank'];
/** The fields a caller sets on a task (CreateTaskInput's, UpdateTaskInput's). */
export const SETTABLE_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels'];
/** The settable fields that may be cleared by sending null. */
export const CLEARABLE_FIELDS = ['description', 'assigneeId', 'dueDate'];

/** Why a value was refused: the argument it concerns and words a person can act on. */
export interface Problem {
  field: string;
  message: string;
}

/** The fields a caller may set on a task; null clears (on update), absent leaves alone. */
export interface TaskFieldValues {
  title?: string | null;
  description?: string | null;
  status?: string | null;
  priority?: string | null;
  assigneeId?: string | null;
  dueDate?: string | null;
  labels?: string[] | null;
}

/**
 * The first limit a task's fields break, or null. `creating`: the title is required. GraphQL's
 * types already hold the enums and the date format; these are the limits types cannot say.
 */
export function taskFieldsProblem(fields: TaskFieldValues, creating: boolean): Problem | null {
  const problems: Problem[] = [];
  if (creating || fields.title !== undefined) {
    const title = fields.title === null || fields.title === undefined ? '' : fields.title.trim();
    if (title.length < 1 || title.length > LIMITS.title) {
      problems.push({ field: 'title', message: `title must be 1 to ${LIMITS.title} characters` });
    }
  }
  if (fields.description && fields.description.length > LIMITS.description) {
    problems.push({ field: 'description', message: `description must be at most ${LIMITS.description} characters` });
  }
  const labels = fields.labels;
  if (labels) {
    const label = labelsProblem(labels);
    if (label) problems.push(label);
  }
  if (fields.assigneeId !== undefined && fields.assigneeId !== null && (fields.assigneeId.length < 1 || fields.assigneeId.length > LIMITS.id)) {
    problems.push({ field: 'assigneeId', message: 'assigneeId must be the id of a member of the board' });
  }
  return problems.length > 0 ? problems[0] : null;
}

/** A list of labels: at most {@link LIMITS}.labels, each 1 to {@link LIMITS}.label characters. */
export function labelsProblem(labels: string[]): Problem | null {
  if (labels.length > LIMITS.labels) {
    return { field: 'labels', message: `a task has at most ${LIMITS.labels} labels` };
  }
  if (labels.some((label) => label.trim().length < 1 || label.length > LIMITS.label)) {
    return { field: 'labels', message: `each label must be 1 to ${LIMITS.label} characters` };
  }
  return null;
}

/** A comment body as it is kept (trimmed), or the problem with it. */
export function commentBodyProblem(body: string): Problem | null {
  const trimmed = body.trim();
  if (trimmed.length < 1 || trimmed.length > LIMITS.comment) {
    return { field: 'body', message: `a comment must be 1 to ${LIMITS.comment} characters` };
  }
  return null;
}

// Ranks are base-62 fractions: '0' < ... < '9' < 'A' < ... < 'Z' < 'a' < ... < 'z' in byte order,
// so DynamoDB's string sort key orders them. A rank never ends in '0', so there is always room
// below it; between two ranks there is room unless they are adjacent ('V' and 'V0').
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 0 .. LIMITS.rank-1, one per character a rank may have (APPSYNC_JS has no counted loops).
const POSITIONS = (DIGITS + DIGITS).split('').slice(0, LIMITS.rank).map((_, i) => i);

function isRank(rank: string): boolean {
  return rank.length <= LIMITS.rank && rank.split('').every((ch) => DIGITS.indexOf(ch) >= 0);
}

/** What is wrong with a position's two neighbours, or null when a rank fits between them. */
export function rankProblem(after: string | null | undefined, before: string | null | undefined): Problem | null {
  const a = after || '';
  const b = before || '';
  if (!isRank(a)) return { field: 'position', message: 'position.after is not a rank this API gave out' };
  if (!isRank(b)) return { field: 'position', message: 'position.before is not a rank this API gave out' };
  if (a && b && a >= b) return { field: 'position', message: 'position.after must rank above position.before' };
  if (rankBetween(a, b) === null) return { field: 'position', message: 'there is no room between these two ranks' };
  return null;
}

/**
 * The shortest rank strictly between `after` ('' or absent: the top) and `before` (absent: the
 * bottom); null when the two are not ranks in order or are adjacent (see {@link rankProblem}).
 */
export function rankBetween(after: string | null | undefined, before: string | null | undefined): string | null {
  const a = after || '';
  const b = before || '';
  if (!isRank(a) || !isRank(b) || (a && b && a >= b)) return null;
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
  return state.done ? state.out : null;
}

/** A new card's rank at the bottom of its column, in creation order: 'y' + the time in base 62 + 'V'. */
export function bottomRank(nowMs: number): string {
  const code = [6, 5, 4, 3, 2, 1, 0].map((k) => DIGITS[Math.floor(nowMs / Math.pow(62, k)) % 62]).join('');
  return `y${code}V`;
}

/** Orders two ranks as the status index does; tasks without a rank (made before ranks) go last. */
export function compareRanks(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  // Ranks are ASCII, so UTF-16 order is byte order.
  return a < b ? -1 : 1;
}

/** One field's change; values are JSON text (AWSJSON), null when absent. */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Each tracked field that differs between two versions of a task (null: no such version), from -> to. */
export function fieldChanges(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): FieldChange[] {
  return TRACKED_FIELDS.map((field) => ({
    field,
    from: json(before ? before[field] : null),
    to: json(after ? after[field] : null),
  })).filter((change) => change.from !== change.to);
}

/**
 * The completedAt a status change gives: `now` when a task becomes DONE, null when it leaves DONE,
 * undefined when it stays as it was.
 */
export function completedAtAfter(fromStatus: string | null | undefined, toStatus: string, now: string): string | null | undefined {
  if (fromStatus === toStatus) return undefined;
  if (toStatus === 'DONE') return now;
  return fromStatus === 'DONE' ? null : undefined;
}

/** A board's key prefix: 2 to 10 capital letters or digits, starting with a letter (OPS, WEB2). */
export function boardKeyProblem(key: string): Problem | null {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const ok =
    key.length >= 2 &&
    key.length <= 10 &&
    letters.indexOf(key[0]) >= 0 &&
    key.split('').every((ch) => (letters + '0123456789').indexOf(ch) >= 0);
  return ok ? null : { field: 'key', message: 'a board key is 2 to 10 capital letters or digits, starting with a letter' };
}

/** A board's name: 1 to 80 characters after trimming. */
export function boardNameProblem(name: string): Problem | null {
  const trimmed = name.trim();
  return trimmed.length < 1 || trimmed.length > 80 ? { field: 'name', message: 'a board name must be 1 to 80 characters' } : null;
}

/** A task's key on its board: the board's prefix and the task's number (OPS-42). */
export function taskKey(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

/** The partition key of the board-and-status index: one column of one board. */
export function columnKey(boardId: string, status: string): string {
  return `${boardId}#${status}`;
}
