import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { INVITATION_SECONDS } from '../lib/users';
import type { MutationInviteUserArgs } from '../../api/generated/schema-types';

/**
 * The invitation (a new one replaces a pending one) and its audit entry: one transaction. The
 * invitation gets an id for the audit log to name it by: audit entries never hold an email.
 */
export function request(ctx: Context<MutationInviteUserArgs>) {
  const caller = requireAdmin(ctx);
  const email = ctx.stash.email as string;
  if (ctx.stash.existing) {
    util.error('a user with this email already exists', 'ValidationError', null, { field: 'email' });
  }
  const now = util.time.nowISO8601();
  const id = util.autoId();
  const invitation = {
    email,
    role: ctx.args.role,
    invitedBy: caller.userId,
    createdAt: now,
    expiresAt: util.time.nowEpochSeconds() + INVITATION_SECONDS,
  };
  ctx.stash.invitation = invitation;
  return transactWrite({
    items: [
      { putItem: { table: ctx.env.INVITATIONS_TABLE, key: { email }, item: { id, role: invitation.role, invitedBy: invitation.invitedBy, createdAt: now, expiresAt: invitation.expiresAt } } },
      auditItem(ctx, caller.userId, 'USER_INVITED', id, { role: ctx.args.role }, now),
    ],
  } as never);
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.invitation;
}
