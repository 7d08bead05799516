import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { cancellationReasons } from '../lib/tasks';
import type { MutationDeleteUserArgs } from '../../api/generated/schema-types';

/** The user, any invitation of their email, and an audit entry naming only their id: one transaction. */
export function request(ctx: Context<MutationDeleteUserArgs>) {
  const caller = requireAdmin(ctx);
  const user = ctx.stash.user as { id: string; email: string; role: string };
  const now = util.time.nowISO8601();
  return transactWrite({
    items: [
      { deleteItem: { table: ctx.env.USERS_TABLE, key: { id: user.id }, condition: { id: { attributeExists: true } } } },
      { deleteItem: { table: ctx.env.INVITATIONS_TABLE, key: { email: user.email } } },
      auditItem(ctx, caller.userId, 'USER_DELETED', user.id, { role: user.role }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationDeleteUserArgs>) {
  if (cancellationReasons(ctx).length > 0 && cancellationReasons(ctx)[0].type === 'ConditionalCheckFailed') {
    util.error(`user ${ctx.args.userId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.args.userId;
}
