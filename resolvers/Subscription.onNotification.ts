import { extensions, util, type Context } from '@aws-appsync/utils';
import { requireCaller } from './lib/caller';

/**
 * A user's notifications only: the filter is set on the server from the caller's identity, so
 * no argument can widen it. Ends when the user is disabled.
 */
export function request() {
  return { payload: null };
}

export function response(ctx: Context) {
  const caller = requireCaller(ctx);
  const own = util.transform.toSubscriptionFilter({ userId: { eq: caller.userId } });
  extensions.setSubscriptionFilter(own);
  extensions.setSubscriptionInvalidationFilter(own);
  return null;
}
