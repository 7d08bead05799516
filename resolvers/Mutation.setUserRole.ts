import type { Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import { notSelf } from './lib/users';
import type { MutationSetUserRoleArgs } from '../api/generated/schema-types';

/** (Admins) Changes a user's role (pipeline: readUser, writeUserRole); it applies within the authorizer cache TTL. */
export function request(ctx: Context<MutationSetUserRoleArgs>) {
  const caller = requireAdmin(ctx);
  notSelf(caller.userId, ctx.args.userId, 'change the role of');
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
