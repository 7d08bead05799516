import { extensions, type Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import { notSelf } from './lib/users';
import type { MutationSetUserStatusArgs } from '../api/generated/schema-types';

/**
 * (Admins) Sets a user's status (pipeline: readUser, writeUserStatus); a disabled user's live
 * subscriptions end at once, and the authorizer refuses them within its cache TTL.
 */
export function request(ctx: Context<MutationSetUserStatusArgs>) {
  const caller = requireAdmin(ctx);
  if (ctx.args.status !== 'ACTIVE') notSelf(caller.userId, ctx.args.userId, 'disable');
  return {};
}

export function response(ctx: Context<MutationSetUserStatusArgs>) {
  if (ctx.args.status !== 'ACTIVE') {
    const payload = { userId: ctx.args.userId };
    extensions.invalidateSubscriptions({ subscriptionField: 'onTaskEvent', payload });
    extensions.invalidateSubscriptions({ subscriptionField: 'onNotification', payload });
    extensions.invalidateSubscriptions({ subscriptionField: 'onBoardStats', payload });
    extensions.invalidateSubscriptions({ subscriptionField: 'onComment', payload });
  }
  return ctx.prev.result;
}
