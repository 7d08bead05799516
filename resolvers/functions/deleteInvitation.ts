import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { cancellationReasons } from '../lib/tasks';

/**
 * Deletes the invitation read by readInvitation, with its audit entry (the invitation's id as the
 * target: audit entries never hold an email), in one transaction.
 */
export function request(ctx: Context) {
  const caller = requireAdmin(ctx);
  const invitation = ctx.stash.invitation as { id?: string } | null;
  if (!invitation) {
    util.error('there is no pending invitation for this email', 'NotFound');
  }
  const email = ctx.stash.email as string;
  // Invitations made before they had ids are audited under a fresh one.
  const target = (invitation && invitation.id) || util.autoId();
  return transactWrite({
    items: [
      { deleteItem: { table: ctx.env.INVITATIONS_TABLE, key: { email }, condition: { email: { attributeExists: true } } } },
      auditItem(ctx, caller.userId, 'INVITATION_REVOKED', target, {}, util.time.nowISO8601()),
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
