import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { BOARD_ROLES, BOARD_PERMISSIONS } from '../../rules/board-access';
import { auditItem } from '../lib/audit';
import { requireBoardReader } from '../lib/caller';
import { cancellationReasons, changesBetween, conflict, historyItem, refuseFailedChecks, shown, writeChecks, type TaskItem } from '../lib/tasks';
import type { MutationDeleteTaskArgs } from '../../api/generated/schema-types';

/** The checks, the deletion, its DELETED history entry and the audit entry: one transaction. */
export function request(ctx: Context<MutationDeleteTaskArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  const current = ctx.stash.task as TaskItem;
  if (current.version !== ctx.args.expectedVersion) {
    conflict(current, ctx.args.expectedVersion);
  }
  const now = util.time.nowISO8601();
  const deleters = BOARD_ROLES.filter((role) => BOARD_PERMISSIONS[role].deleteTasks);
  const items: unknown[] = writeChecks(ctx, current.board, caller.userId, deleters);
  items.push({ deleteItem: { table: ctx.env.TASKS_TABLE, key: { id: current.id }, condition: { version: { eq: ctx.args.expectedVersion } } } });
  items.push(historyItem(ctx, current.board, current.id, current.version + 1, 'DELETED', caller.userId, now, changesBetween(current, null)));
  items.push(auditItem(ctx, caller.userId, 'TASK_DELETED', current.id, { boardId: current.board, key: current.key || null, title: current.title, version: current.version }, now));
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationDeleteTaskArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0) {
    refuseFailedChecks(reasons);
    const task = reasons[2];
    if (task.type === 'ConditionalCheckFailed' && !task.item) {
      util.error(`task ${ctx.args.id} does not exist`, 'NotFound');
    }
    conflict(task.item || (ctx.stash.task as TaskItem), ctx.args.expectedVersion);
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shown(ctx.stash.task as Record<string, unknown>);
}
