import type { Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import { normalEmail } from './lib/users';
import type { MutationInviteUserArgs } from '../api/generated/schema-types';

/**
 * (Admins) Records an invitation (pipeline: findUserByEmail, writeInvitation). Sending the email
 * is the mailer's job (verification issue); onboarding reads the Invitations table.
 */
export function request(ctx: Context<MutationInviteUserArgs>) {
  requireAdmin(ctx);
  ctx.stash.email = normalEmail(ctx.args.email);
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
