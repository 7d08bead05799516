import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { cancellationReasons } from '../lib/tasks';
import type { MutationSetUserStatusArgs } from '../../api/generated/schema-types';

/** The status change and its audit entry (from -> to): one transaction. */
export function request(ctx: Context<MutationSetUserStatusArgs>) {
  const caller = requireAdmin(ctx);
  const user = ctx.stash.user as { id: string; status: string };
  const now = util.time.nowISO8601();
  return transactWrite({
    items: [
      { updateItem: { table: ctx.env.USERS_TABLE, key: { id: user.id }, update: { status: ctx.args.status }, condition: { id: { attributeExists: true } } } },
      auditItem(ctx, caller.userId, 'USER_STATUS_CHANGED', user.id, { from: user.status, to: ctx.args.status }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationSetUserStatusArgs>) {
  if (cancellationReasons(ctx).length > 0 && cancellationReasons(ctx)[0].type === 'ConditionalCheckFailed') {
    util.error(`user ${ctx.args.userId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return { ...(ctx.stash.user as Record<string, unknown>), status: ctx.args.status };
}
