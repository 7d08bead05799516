import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardUser } from './lib/caller';
import { BOARD } from './lib/tasks';

/**
 * The newest event's sequence: one item read backwards from the head of the board's events. A
 * client reads it before loading the board and then follows `taskEvents(after: it)`, so nothing
 * between the two is missed and nothing before them is replayed.
 */
export function request(ctx: Context) {
  requireBoardUser(ctx);
  return query({ query: { board: { eq: BOARD } }, limit: 1, scanIndexForward: false, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  const items = ctx.result.items as { sequence: number }[];
  return items.length > 0 ? items[0].sequence : null;
}
