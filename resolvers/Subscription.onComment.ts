import type { Context } from '@aws-appsync/utils';
import { acceptBoardSubscriber, readSubscriberMembership } from './lib/subscriptions';

/**
 * New, edited and deleted comments of a board (of one task, with taskId), for its members: the
 * comment mutations' own answers, filtered by the boardId and taskId arguments on the server.
 */
export function request(ctx: Context<{ boardId: string }>) {
  return readSubscriberMembership(ctx);
}

export function response(ctx: Context<{ boardId: string }>) {
  acceptBoardSubscriber(ctx, false);
  return null;
}
