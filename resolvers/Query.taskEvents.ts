import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardUser } from './lib/caller';
import { BOARD } from './lib/tasks';
import type { QueryTaskEventsArgs } from '../api/generated/schema-types';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** The events after a sequence, oldest first: what a reconnecting client missed. */
export function request(ctx: Context<QueryTaskEventsArgs>) {
  requireBoardUser(ctx);
  const after = ctx.args.after === undefined || ctx.args.after === null ? -1 : ctx.args.after;
  const limit = ctx.args.limit === undefined || ctx.args.limit === null ? DEFAULT_LIMIT : ctx.args.limit;
  if (limit < 1 || limit > MAX_LIMIT) {
    util.error(`limit must be from 1 to ${MAX_LIMIT}`, 'ValidationError', null, { field: 'limit' });
  }
  return query({ query: { board: { eq: BOARD }, sequence: { gt: after } }, limit, consistentRead: true });
}

export function response(ctx: Context<QueryTaskEventsArgs>) {
  raiseDataSourceError(ctx);
  const items = ctx.result.items as { sequence: number }[];
  const last = items.length > 0 ? items[items.length - 1].sequence : ctx.args.after;
  return { items, lastSequence: last === undefined ? null : last, hasMore: !!ctx.result.nextToken };
}
