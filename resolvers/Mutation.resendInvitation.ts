import type { Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import { normalEmail } from './lib/users';
import type { MutationResendInvitationArgs } from '../api/generated/schema-types';

/**
 * (Admins) Sends a pending invitation again, open for 7 more days (pipeline: readInvitation,
 * writeInvitationResend); the invitation mailer sends it because its `sentAt` changed.
 */
export function request(ctx: Context<MutationResendInvitationArgs>) {
  requireAdmin(ctx);
  ctx.stash.email = normalEmail(ctx.args.email);
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
