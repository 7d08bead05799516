import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import { auditItem } from './lib/audit';
import {
  BOARD,
  activeUserCheck,
  bottomRank,
  cancellationReasons,
  changesBetween,
  historyItem,
  rankFor,
  shown,
  validateTaskFields,
} from './lib/tasks';
import type { MutationCreateTaskArgs } from '../api/generated/schema-types';

/**
 * (Admins) Creates a task at version 1: the task, its CREATED history entry, the check that the
 * assignee is an ACTIVE user and the audit entry are one transaction.
 */
export function request(ctx: Context<MutationCreateTaskArgs>) {
  const caller = requireAdmin(ctx);
  const input = ctx.args.input;
  validateTaskFields(input, true);
  const now = util.time.nowISO8601();
  const id = util.autoId();
  const status = input.status || 'TODO';
  const item: Record<string, unknown> = {
    id,
    board: BOARD,
    title: input.title.trim(),
    status,
    priority: input.priority || 'MEDIUM',
    labels: input.labels || [],
    rank: rankFor(input.position) || bottomRank(),
    createdBy: caller.userId,
    createdAt: now,
    updatedBy: caller.userId,
    updatedAt: now,
    version: 1,
  };
  if (input.description) item.description = input.description;
  if (input.assigneeId) item.assigneeId = input.assigneeId;
  if (input.dueDate) item.dueDate = input.dueDate;
  if (status === 'DONE') item.completedAt = now;
  ctx.stash.task = item;

  const items: unknown[] = [
    { putItem: { table: ctx.env.TASKS_TABLE, key: { id }, item, condition: { id: { attributeExists: false } } } },
    historyItem(ctx, id, 1, 'CREATED', caller.userId, now, changesBetween(null, item)),
    auditItem(ctx, caller.userId, 'TASK_CREATED', id, { title: item.title, assigneeId: input.assigneeId || null }, now),
  ];
  if (input.assigneeId) items.push(activeUserCheck(ctx, input.assigneeId));
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationCreateTaskArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 3 && reasons[3].type === 'ConditionalCheckFailed') {
    util.error('assigneeId must be the id of an active user', 'ValidationError', null, { field: 'assigneeId' });
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shown(ctx.stash.task as Record<string, unknown>);
}
