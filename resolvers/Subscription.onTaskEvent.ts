import { extensions, util, type Context } from '@aws-appsync/utils';
import { requireBoardUser } from './lib/caller';

/**
 * Runs when a client subscribes: only signed-in users may, and their subscription ends when an
 * admin disables them (setUserStatus invalidates by userId). Argument filters (taskId,
 * assigneeId, status, type) are applied by AppSync itself.
 */
export function request() {
  return { payload: null };
}

export function response(ctx: Context) {
  const caller = requireBoardUser(ctx);
  extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ userId: { eq: caller.userId } }));
  return null;
}
