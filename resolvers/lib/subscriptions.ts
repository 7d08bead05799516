import { extensions, util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { permissionsOf } from '../../rules/board-access';
import { boardIdArg, requireCaller } from './caller';

interface SubscriberContext {
  userId?: string;
  dashboardBoardId?: string;
  dashboardTokenId?: string;
}

function subscriber(ctx: Context): SubscriberContext {
  const identity = ctx.identity as { resolverContext?: SubscriberContext } | null;
  return (identity && identity.resolverContext) || {};
}

/**
 * The request of a board subscription: the subscriber's membership, read now (not from the
 * request's cached list), so someone taken off the board is refused at subscribe time at once.
 * A dashboard token has no membership; its read finds nothing and {@link acceptBoardSubscriber}
 * decides by the token.
 */
export function readSubscriberMembership(ctx: Context<{ boardId: string }>) {
  const board = boardIdArg(ctx.args.boardId);
  const who = subscriber(ctx);
  const userId = who.userId || '-';
  return get({ key: { boardId: board, userId }, consistentRead: true });
}

/**
 * The response of a board subscription: refuses anyone not on the board (and a dashboard token
 * unless `dashboards` and it is for this board), and ends the subscription when the person is
 * disabled, erased or signs out (by userId), is taken off this board (by boardMember), or the
 * dashboard token is revoked (by dashboardTokenId).
 */
export function acceptBoardSubscriber(ctx: Context<{ boardId: string }>, dashboards: boolean): void {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const who = subscriber(ctx);
  if (!who.userId && who.dashboardTokenId) {
    if (!dashboards || who.dashboardBoardId !== ctx.args.boardId) {
      util.error('a dashboard token may watch only its board’s figures', 'Unauthorized');
    }
    extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ dashboardTokenId: { eq: who.dashboardTokenId } }));
    return;
  }
  const caller = requireCaller(ctx);
  const membership = ctx.result as { role?: string } | null;
  if (!membership || !permissionsOf(membership.role).read) {
    util.error('you are not a member of this board', 'Unauthorized');
  }
  extensions.setSubscriptionInvalidationFilter(
    util.transform.toSubscriptionFilter({
      or: [{ userId: { eq: caller.userId } }, { boardMember: { eq: `${ctx.args.boardId}:${caller.userId}` } }],
    }),
  );
}
