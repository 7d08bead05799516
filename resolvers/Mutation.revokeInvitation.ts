import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from './lib/audit';
import { requireAdmin } from './lib/admin';
import { cancellationReasons } from './lib/tasks';
import { normalEmail } from './lib/users';
import type { MutationRevokeInvitationArgs } from '../api/generated/schema-types';

/** (Admins) Withdraws a pending invitation, with its audit entry, in one transaction. */
export function request(ctx: Context<MutationRevokeInvitationArgs>) {
  const caller = requireAdmin(ctx);
  const email = normalEmail(ctx.args.email);
  ctx.stash.email = email;
  const now = util.time.nowISO8601();
  return transactWrite({
    items: [
      { deleteItem: { table: ctx.env.INVITATIONS_TABLE, key: { email }, condition: { email: { attributeExists: true } } } },
      auditItem(ctx, caller.userId, 'INVITATION_REVOKED', email, {}, now),
    ],
  } as never);
}

export function response(ctx: Context) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error('there is no pending invitation for this email', 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.email;
}
