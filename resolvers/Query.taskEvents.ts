import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardReader } from './lib/caller';
import type { QueryTaskEventsArgs } from '../api/generated/schema-types';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** A board's events after a sequence, oldest first: what a reconnecting client missed. */
export function request(ctx: Context<QueryTaskEventsArgs>) {
  const board = requireBoardReader(ctx, ctx.args.boardId).boardId;
  const after = ctx.args.after === undefined || ctx.args.after === null ? -1 : ctx.args.after;
  const limit = ctx.args.limit === undefined || ctx.args.limit === null ? DEFAULT_LIMIT : ctx.args.limit;
  if (limit < 1 || limit > MAX_LIMIT) {
    util.error(`limit must be from 1 to ${MAX_LIMIT}`, 'ValidationError', null, { field: 'limit' });
  }
  return query({ query: { board: { eq: board }, sequence: { gt: after } }, limit, consistentRead: true });
}

export function response(ctx: Context<QueryTaskEventsArgs>) {
  raiseDataSourceError(ctx);
  const board = ctx.args.boardId;
  // Events recorded before boards name their board only in the key; their tasks not at all.
  const items: Record<string, unknown>[] = (ctx.result.items as Record<string, unknown>[]).map((event) => {
    const task = event.task as Record<string, unknown> | null;
    return { ...event, boardId: board, task: task ? { ...task, boardId: board } : null };
  });
  const last = items.length > 0 ? (items[items.length - 1].sequence as number) : ctx.args.after;
  return { items, lastSequence: last === undefined ? null : last, hasMore: !!ctx.result.nextToken };
}
