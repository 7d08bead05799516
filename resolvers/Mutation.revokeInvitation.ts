import type { Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import { normalEmail } from './lib/users';
import type { MutationRevokeInvitationArgs } from '../api/generated/schema-types';

/** (Admins) Withdraws a pending invitation (pipeline: readInvitation, deleteInvitation); returns its email. */
export function request(ctx: Context<MutationRevokeInvitationArgs>) {
  requireAdmin(ctx);
  ctx.stash.email = normalEmail(ctx.args.email);
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
