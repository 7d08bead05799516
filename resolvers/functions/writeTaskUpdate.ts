import { runtime, util, type Context } from '@aws-appsync/utils';
import { operations, transactWrite } from '@aws-appsync/utils/dynamodb';
import { BOARD_ROLES, changeRefusal } from '../../rules/board-access';
import { CLEARABLE_FIELDS, SETTABLE_FIELDS, completedAtAfter } from '../../rules/task-rules';
import { auditItem } from '../lib/audit';
import { requireBoardReader } from '../lib/caller';
import {
  assigneeChecks,
  assigneeRefused,
  cancellationReasons,
  changesBetween,
  columnOf,
  conflict,
  historyItem,
  rankFor,
  refuseFailedChecks,
  shown,
  writeChecks,
  type TaskItem,
} from '../lib/tasks';
import type { MutationUpdateTaskArgs } from '../../api/generated/schema-types';

/** The fields an update names (position included), for the board role's table. */
function fieldsNamed(values: Record<string, unknown>): string[] {
  return Object.keys(values).filter((f) => f !== 'id' && f !== 'expectedVersion' && values[f] !== undefined);
}

/**
 * The update, its history entry, the checks (the writer's board role still allows this change,
 * the board is open, a new assignee is an active member) and (on assignment) the audit entry: one
 * transaction.
 */
export function request(ctx: Context<MutationUpdateTaskArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  const input = ctx.args.input;
  const current = ctx.stash.task as TaskItem;
  const values = input as unknown as Record<string, unknown>;
  const fields = fieldsNamed(values);
  const refusal = changeRefusal(caller.boardRole, caller.userId, current, fields);
  if (refusal) {
    util.error(refusal, 'Unauthorized');
  }
  if (current.version !== input.expectedVersion) {
    conflict(current, input.expectedVersion);
  }

  const now = util.time.nowISO8601();
  const next: Record<string, unknown> = Object.assign({}, current);
  const changes: Record<string, unknown> = { updatedBy: caller.userId, updatedAt: now, version: input.expectedVersion + 1 };
  SETTABLE_FIELDS.forEach((field) => {
    const value = values[field];
    if (value === undefined) return;
    if (value === null) {
      if (CLEARABLE_FIELDS.indexOf(field) < 0) {
        util.error(`${field} cannot be cleared`, 'ValidationError', null, { field });
      }
      changes[field] = operations.remove();
      delete next[field];
      return;
    }
    const stored = field === 'title' ? (value as string).trim() : value;
    changes[field] = stored;
    next[field] = stored;
  });
  const rank = rankFor(input.position);
  if (rank) {
    changes.rank = rank;
    next.rank = rank;
  }
  if (next.status !== current.status) {
    changes.column = columnOf(current.board, next.status as string);
    next.column = changes.column;
  }
  const completedAt = completedAtAfter(current.status, next.status as string, now);
  if (completedAt === null) {
    changes.completedAt = operations.remove();
    delete next.completedAt;
  } else if (completedAt !== undefined) {
    changes.completedAt = completedAt;
    next.completedAt = completedAt;
  }
  const diff = changesBetween(current, next);
  if (diff.length === 0) {
    // Nothing would change: no write, no new version.
    runtime.earlyReturn(shown(current));
  }
  next.updatedBy = caller.userId;
  next.updatedAt = now;
  next.version = input.expectedVersion + 1;
  ctx.stash.next = next;

  // The roles that may make exactly this change, checked against the membership as it is now.
  const allowed = BOARD_ROLES.filter((role) => changeRefusal(role, caller.userId, current, fields) === null);
  const items: unknown[] = writeChecks(ctx, current.board, caller.userId, allowed);
  const condition = { and: [{ version: { eq: input.expectedVersion } }, { board: { eq: current.board } }] };
  items.push({ updateItem: { table: ctx.env.TASKS_TABLE, key: { id: current.id }, update: changes, condition } });
  items.push(historyItem(ctx, current.board, current.id, input.expectedVersion + 1, 'UPDATED', caller.userId, now, diff));
  ctx.stash.assigneeCheckAt = -1;
  if (input.assigneeId && input.assigneeId !== current.assigneeId) {
    ctx.stash.assigneeCheckAt = items.length;
    assigneeChecks(ctx, current.board, input.assigneeId, caller.userId).forEach((check) => items.push(check));
  }
  if (input.assigneeId !== undefined && (input.assigneeId || null) !== (current.assigneeId || null)) {
    items.push(auditItem(ctx, caller.userId, 'TASK_ASSIGNED', current.id, { boardId: current.board, from: current.assigneeId || null, to: input.assigneeId || null }, now));
  }
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationUpdateTaskArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0) {
    const input = ctx.args.input;
    refuseFailedChecks(reasons);
    if (assigneeRefused(reasons, ctx.stash.assigneeCheckAt as number)) {
      util.error('assigneeId must be the id of an active member of the board', 'ValidationError', null, { field: 'assigneeId' });
    }
    const task = reasons[2];
    if (task.type === 'ConditionalCheckFailed' && !task.item) {
      util.error(`task ${input.id} does not exist`, 'NotFound');
    }
    // A failed condition, or another transaction on the same task at the same moment.
    conflict(task.item || (ctx.stash.task as TaskItem), input.expectedVersion);
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shown(ctx.stash.next as Record<string, unknown>);
}
