import { extensions, type Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import { notSelf } from './lib/users';
import type { MutationDeleteUserArgs } from '../api/generated/schema-types';

/**
 * (Admins) Erases a user (pipeline: readUser, writeUserDelete): the Users item and any invitation
 * of their email go; their live subscriptions end. Face images are the verification issue's.
 */
export function request(ctx: Context<MutationDeleteUserArgs>) {
  const caller = requireAdmin(ctx);
  notSelf(caller.userId, ctx.args.userId, 'delete');
  return {};
}

export function response(ctx: Context<MutationDeleteUserArgs>) {
  const payload = { userId: ctx.args.userId };
  extensions.invalidateSubscriptions({ subscriptionField: 'onTaskEvent', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onNotification', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onBoardStats', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onComment', payload });
  return ctx.args.userId;
}
