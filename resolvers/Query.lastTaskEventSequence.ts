import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardReader } from './lib/caller';
import type { QueryLastTaskEventSequenceArgs } from '../api/generated/schema-types';

/**
 * The newest event's sequence on a board: one item read backwards from the head of its events. A
 * client reads it before loading the board and then follows `taskEvents(after: it)`, so nothing
 * between the two is missed and nothing before them is replayed.
 */
export function request(ctx: Context<QueryLastTaskEventSequenceArgs>) {
  const board = requireBoardReader(ctx, ctx.args.boardId).boardId;
  return query({ query: { board: { eq: board } }, limit: 1, scanIndexForward: false, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  const items = ctx.result.items as { sequence: number }[];
  return items.length > 0 ? items[0].sequence : null;
}
