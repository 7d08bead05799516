import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { BOARD_ROLES, mayCreateTask } from '../../rules/board-access';
import { taskKey } from '../../rules/task-rules';
import { auditItem } from '../lib/audit';
import { requireBoardReader } from '../lib/caller';
import {
  assigneeChecks,
  assigneeRefused,
  bottomRank,
  cancellationReasons,
  changesBetween,
  columnOf,
  historyItem,
  rankFor,
  refuseFailedChecks,
  shown,
  writeChecks,
} from '../lib/tasks';
import type { MutationCreateTaskArgs } from '../../api/generated/schema-types';

/**
 * The task, its CREATED history entry, the checks (the creator may still create on the board, the
 * board is open, the assignee is an active member) and the audit entry: one transaction.
 */
export function request(ctx: Context<MutationCreateTaskArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  const board = ctx.stash.board as { id: string; key: string; membersCreateTasks?: boolean };
  const input = ctx.args.input;
  const now = util.time.nowISO8601();
  const id = util.autoId();
  const status = input.status || 'TODO';
  const item: Record<string, unknown> = {
    id,
    board: board.id,
    key: taskKey(board.key, ctx.stash.taskNumber as number),
    column: columnOf(board.id, status),
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

  const creators = BOARD_ROLES.filter((role) => mayCreateTask(role, !!board.membersCreateTasks));
  const items: unknown[] = writeChecks(ctx, board.id, caller.userId, creators);
  items.push({ putItem: { table: ctx.env.TASKS_TABLE, key: { id }, item, condition: { id: { attributeExists: false } } } });
  items.push(historyItem(ctx, board.id, id, 1, 'CREATED', caller.userId, now, changesBetween(null, item)));
  items.push(auditItem(ctx, caller.userId, 'TASK_CREATED', id, { boardId: board.id, key: item.key, title: item.title, assigneeId: input.assigneeId || null }, now));
  ctx.stash.assigneeCheckAt = input.assigneeId ? items.length : -1;
  if (input.assigneeId) assigneeChecks(ctx, board.id, input.assigneeId, caller.userId).forEach((check) => items.push(check));
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationCreateTaskArgs>) {
  const reasons = cancellationReasons(ctx);
  refuseFailedChecks(reasons);
  if (assigneeRefused(reasons, ctx.stash.assigneeCheckAt as number)) {
    util.error('assigneeId must be the id of an active member of the board', 'ValidationError', null, { field: 'assigneeId' });
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shown(ctx.stash.task as Record<string, unknown>);
}
