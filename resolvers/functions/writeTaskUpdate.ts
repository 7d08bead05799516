import { runtime, util, type Context } from '@aws-appsync/utils';
import { operations, transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireBoardUser } from '../lib/caller';
import {
  MEMBER_FIELDS,
  activeUserCheck,
  cancellationReasons,
  changesBetween,
  conflict,
  historyItem,
  rankFor,
  shown,
  type TaskItem,
} from '../lib/tasks';
import type { MutationUpdateTaskArgs } from '../../api/generated/schema-types';

/** Fields that may be cleared by sending null. */
const CLEARABLE = ['description', 'assigneeId', 'dueDate'];
const SETTABLE = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels'];

/** The update, its history entry, the assignee check and (on assignment) the audit entry: one transaction. */
export function request(ctx: Context<MutationUpdateTaskArgs>) {
  const caller = requireBoardUser(ctx);
  const input = ctx.args.input;
  const current = ctx.stash.task as TaskItem;
  const values = input as unknown as Record<string, unknown>;
  const admin = caller.role === 'ADMIN';
  if (!admin) {
    if (current.assigneeId !== caller.userId) {
      util.error('members may change only tasks assigned to them', 'Unauthorized');
    }
    const forbidden = Object.keys(values).filter((f) => f !== 'id' && f !== 'expectedVersion' && values[f] !== undefined && MEMBER_FIELDS.indexOf(f) < 0);
    if (forbidden.length > 0) {
      util.error(`members may not change ${forbidden.join(', ')}`, 'Unauthorized');
    }
  }
  if (current.version !== input.expectedVersion) {
    conflict(current, input.expectedVersion);
  }

  const now = util.time.nowISO8601();
  const next: Record<string, unknown> = Object.assign({}, current);
  const changes: Record<string, unknown> = { updatedBy: caller.userId, updatedAt: now, version: input.expectedVersion + 1 };
  SETTABLE.forEach((field) => {
    const value = values[field];
    if (value === undefined) return;
    if (value === null) {
      if (CLEARABLE.indexOf(field) < 0) {
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
    if (next.status === 'DONE') {
      changes.completedAt = now;
      next.completedAt = now;
    } else if (current.completedAt) {
      changes.completedAt = operations.remove();
      delete next.completedAt;
    }
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

  const condition = admin
    ? { version: { eq: input.expectedVersion } }
    : { and: [{ version: { eq: input.expectedVersion } }, { assigneeId: { eq: caller.userId } }] };
  const items: unknown[] = [
    { updateItem: { table: ctx.env.TASKS_TABLE, key: { id: current.id }, update: changes, condition } },
    historyItem(ctx, current.id, input.expectedVersion + 1, 'UPDATED', caller.userId, now, diff),
  ];
  ctx.stash.userCheckAt = -1;
  if (input.assigneeId && input.assigneeId !== current.assigneeId) {
    ctx.stash.userCheckAt = items.length;
    items.push(activeUserCheck(ctx, input.assigneeId));
  }
  if (input.assigneeId !== undefined && (input.assigneeId || null) !== (current.assigneeId || null)) {
    items.push(auditItem(ctx, caller.userId, 'TASK_ASSIGNED', current.id, { from: current.assigneeId || null, to: input.assigneeId || null }, now));
  }
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationUpdateTaskArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0) {
    const input = ctx.args.input;
    const userCheckAt = ctx.stash.userCheckAt as number;
    if (userCheckAt >= 0 && reasons[userCheckAt] && reasons[userCheckAt].type === 'ConditionalCheckFailed') {
      util.error('assigneeId must be the id of an active user', 'ValidationError', null, { field: 'assigneeId' });
    }
    const task = reasons[0];
    if (task.type === 'ConditionalCheckFailed' && !task.item) {
      util.error(`task ${input.id} does not exist`, 'NotFound');
    }
    if (task.type === 'ConditionalCheckFailed' && task.item && task.item.assigneeId !== (ctx.stash.task as TaskItem).assigneeId && task.item.version === input.expectedVersion) {
      util.error('members may change only tasks assigned to them', 'Unauthorized');
    }
    // A failed condition, or another transaction on the same task at the same moment.
    conflict(task.item || (ctx.stash.task as TaskItem), input.expectedVersion);
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shown(ctx.stash.next as Record<string, unknown>);
}
