import { extensions, util, type Context } from '@aws-appsync/utils';
import { requireBoardUser } from './lib/caller';

/** Board users may watch the figures; the subscription ends when the user is disabled or deleted. */
export function request() {
  return { payload: null };
}

export function response(ctx: Context) {
  const caller = requireBoardUser(ctx);
  extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ userId: { eq: caller.userId } }));
  return null;
}
