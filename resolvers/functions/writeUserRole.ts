import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { cancellationReasons } from '../lib/tasks';
import type { MutationSetUserRoleArgs } from '../../api/generated/schema-types';

/** The role change and its audit entry (from -> to): one transaction. */
export function request(ctx: Context<MutationSetUserRoleArgs>) {
  const caller = requireAdmin(ctx);
  const user = ctx.stash.user as { id: string; role: string };
  const now = util.time.nowISO8601();
  return transactWrite({
    items: [
      { updateItem: { table: ctx.env.USERS_TABLE, key: { id: user.id }, update: { role: ctx.args.role }, condition: { id: { attributeExists: true } } } },
      auditItem(ctx, caller.userId, 'USER_ROLE_CHANGED', user.id, { from: user.role, to: ctx.args.role }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationSetUserRoleArgs>) {
  if (cancellationReasons(ctx).length > 0 && cancellationReasons(ctx)[0].type === 'ConditionalCheckFailed') {
    util.error(`user ${ctx.args.userId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return { ...(ctx.stash.user as Record<string, unknown>), role: ctx.args.role };
}
