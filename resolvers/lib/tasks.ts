import { util, type Context } from '@aws-appsync/utils';
import type { CreateTaskInput, RankPosition } from '../../api/generated/schema-types';
import { CHANGING_ROLES } from '../../rules/board-access';
import { bottomRank as bottomRankAt, columnKey, fieldChanges, rankBetween, rankProblem, taskFieldsProblem, type FieldChange } from '../../rules/task-rules';

/** The fields a caller may set on a task: those of CreateTaskInput, optional and nullable on update. */
export type TaskFields = { [K in keyof CreateTaskInput]?: CreateTaskInput[K] | null };

export type TaskItem = Record<string, unknown> & { id: string; board: string; version: number; status: string; assigneeId?: string };

/** Checks the limits GraphQL types cannot express (rules/task-rules.ts); a breach is a `ValidationError`. */
export function validateTaskFields(fields: TaskFields, creating: boolean): void {
  const problem = taskFieldsProblem(fields, creating);
  if (problem) {
    util.error(problem.message, 'ValidationError', null, { field: problem.field });
  }
}

/** The rank for a position argument, or undefined when none was given. */
export function rankFor(position: RankPosition | null | undefined): string | undefined {
  if (!position) return undefined;
  const problem = rankProblem(position.after, position.before);
  if (problem) {
    util.error(problem.message, 'ValidationError', null, { field: problem.field });
  }
  return rankBetween(position.after, position.before) as string;
}

/** A new card's rank: the bottom of its column, in creation order. */
export function bottomRank(): string {
  return bottomRankAt(util.time.nowEpochMilliSeconds());
}

/** Each tracked field that differs between two versions of a task, from -> to. */
export function changesBetween(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  return fieldChanges(before, after);
}

/** The column index key of a task with this status on this board. */
export function columnOf(boardId: string, status: string): string {
  return columnKey(boardId, status);
}

/** The history entry of one write, as an item of the write's own transaction. */
export function historyItem(
  ctx: Context,
  boardId: string,
  taskId: string,
  version: number,
  action: string,
  actorId: string,
  at: string,
  changes: FieldChange[],
) {
  return {
    putItem: {
      table: ctx.env.TASK_HISTORY_TABLE,
      key: { taskId, version },
      item: { boardId, action, actorId, at, changes },
      condition: { taskId: { attributeExists: false } },
    },
  };
}

/**
 * The first two items of every task write's transaction: the writer is still on the board with a
 * role in `roles` (the authorizer's list may be a cache TTL old; this is read in the write
 * itself), and the board exists and is not archived. {@link refuseFailedChecks} reads their answers.
 */
export function writeChecks(ctx: Context, boardId: string, userId: string, roles: string[]) {
  return [
    {
      conditionCheck: {
        table: ctx.env.BOARD_MEMBERS_TABLE,
        key: { boardId, userId },
        condition: { role: { in: roles } },
      },
    },
    {
      conditionCheck: {
        table: ctx.env.BOARDS_TABLE,
        key: { id: boardId },
        condition: { and: [{ id: { attributeExists: true } }, { archivedAt: { attributeExists: false } }] },
      },
    },
  ];
}

/** Refuses a write whose transaction failed on one of its {@link writeChecks}. */
export function refuseFailedChecks(reasons: { type: string }[]): void {
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error('your role on this board may not do this', 'Unauthorized');
  }
  if (reasons.length > 1 && reasons[1].type === 'ConditionalCheckFailed') {
    util.error('the board is archived: it is read-only', 'Unauthorized');
  }
}

/**
 * That an assignee is an ACTIVE user on the board with a role that works on tasks, checked in the
 * write. The writer assigning themselves is on the board already (the write checks that; a
 * transaction may not touch one item twice), so only their status is checked then.
 */
export function assigneeChecks(ctx: Context, boardId: string, userId: string, writerId: string) {
  const active = { conditionCheck: { table: ctx.env.USERS_TABLE, key: { id: userId }, condition: { status: { eq: 'ACTIVE' } } } };
  if (userId === writerId) return [active];
  return [active, { conditionCheck: { table: ctx.env.BOARD_MEMBERS_TABLE, key: { boardId, userId }, condition: { role: { in: CHANGING_ROLES } } } }];
}

/** True when one of the assignee checks, at `at` and the one after it, failed. */
export function assigneeRefused(reasons: { type: string }[], at: number): boolean {
  return at >= 0 && [at, at + 1].some((i) => reasons.length > i && reasons[i].type === 'ConditionalCheckFailed');
}

/** The task as the API shows it: `board` is `boardId`; the column index key stays in the table. */
export function shown(task: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  Object.keys(task)
    .filter((key) => key !== 'board' && key !== 'column')
    .forEach((key) => {
      out[key] = task[key];
    });
  out.boardId = task.board || task.boardId;
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
