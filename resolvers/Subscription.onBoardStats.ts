import type { Context } from '@aws-appsync/utils';
import { acceptBoardSubscriber, readSubscriberMembership } from './lib/subscriptions';

/** A board's figures, for its members and for a dashboard token of that board (boardId is an argument filter). */
export function request(ctx: Context<{ boardId: string }>) {
  return readSubscriberMembership(ctx);
}

export function response(ctx: Context<{ boardId: string }>) {
  acceptBoardSubscriber(ctx, true);
  return null;
}
