import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { cancellationReasons, changesBetween, conflict, historyItem, shown, type TaskItem } from '../lib/tasks';
import type { MutationDeleteTaskArgs } from '../../api/generated/schema-types';

/** The deletion, its DELETED history entry and the audit entry: one transaction. */
export function request(ctx: Context<MutationDeleteTaskArgs>) {
  const caller = requireAdmin(ctx);
  const current = ctx.stash.task as TaskItem;
  if (current.version !== ctx.args.expectedVersion) {
    conflict(current, ctx.args.expectedVersion);
  }
  const now = util.time.nowISO8601();
  return transactWrite({
    items: [
      { deleteItem: { table: ctx.env.TASKS_TABLE, key: { id: current.id }, condition: { version: { eq: ctx.args.expectedVersion } } } },
      historyItem(ctx, current.id, current.version + 1, 'DELETED', caller.userId, now, changesBetween(current, null)),
      auditItem(ctx, caller.userId, 'TASK_DELETED', current.id, { title: current.title, version: current.version }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationDeleteTaskArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0) {
    if (reasons[0].type === 'ConditionalCheckFailed' && !reasons[0].item) {
      util.error(`task ${ctx.args.id} does not exist`, 'NotFound');
    }
    conflict(reasons[0].item || (ctx.stash.task as TaskItem), ctx.args.expectedVersion);
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shown(ctx.stash.task as Record<string, unknown>);
}
