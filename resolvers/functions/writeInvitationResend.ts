import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from '../lib/admin';
import { auditItem } from '../lib/audit';
import { cancellationReasons } from '../lib/tasks';
import { INVITATION_SECONDS } from '../lib/users';

/** The invitation read by readInvitation, sent again (new sentAt, 7 more days), and its audit entry: one transaction. */
export function request(ctx: Context) {
  const caller = requireAdmin(ctx);
  const invitation = ctx.stash.invitation as Record<string, unknown> | null;
  if (!invitation) {
    util.error('there is no pending invitation for this email', 'NotFound');
  }
  const now = util.time.nowISO8601();
  const expiresAt = util.time.nowEpochSeconds() + INVITATION_SECONDS;
  const email = ctx.stash.email as string;
  const found = invitation as Record<string, unknown>;
  ctx.stash.resent = { ...found, email, boards: found.boards || [], expiresAt };
  return transactWrite({
    items: [
      { updateItem: { table: ctx.env.INVITATIONS_TABLE, key: { email }, update: { sentAt: now, expiresAt }, condition: { email: { attributeExists: true } } } },
      auditItem(ctx, caller.userId, 'INVITATION_RESENT', (found.id as string) || util.autoId(), {}, now),
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
  return ctx.stash.resent;
}
