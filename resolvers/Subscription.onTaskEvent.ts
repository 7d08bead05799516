import type { Context } from '@aws-appsync/utils';
import { acceptBoardSubscriber, readSubscriberMembership } from './lib/subscriptions';

/**
 * Runs when a client subscribes to a board's task events: only members of the board may (read
 * now, see lib/subscriptions.ts). Argument filters (boardId, taskId, assigneeId, status, type)
 * are applied by AppSync itself; boardId is required, so nobody hears another board.
 */
export function request(ctx: Context<{ boardId: string }>) {
  return readSubscriberMembership(ctx);
}

export function response(ctx: Context<{ boardId: string }>) {
  acceptBoardSubscriber(ctx, false);
  return null;
}
