import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireCaller } from './lib/caller';
import { BOARD } from './lib/tasks';
import type { QueryTasksArgs } from '../api/generated/schema-types';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/** A page of the board, newest first, from the board index (never a scan). */
export function request(ctx: Context<QueryTasksArgs>) {
  requireCaller(ctx);
  const limit = ctx.args.limit === undefined || ctx.args.limit === null ? DEFAULT_LIMIT : ctx.args.limit;
  if (limit < 1 || limit > MAX_LIMIT) {
    util.error(`limit must be from 1 to ${MAX_LIMIT}`, 'ValidationError', null, { field: 'limit' });
  }
  return query({
    index: 'byBoard',
    query: { board: { eq: BOARD } },
    limit,
    nextToken: ctx.args.nextToken || undefined,
    scanIndexForward: false,
  });
}

export function response(ctx: Context) {
  if (ctx.error && ctx.error.type === 'DynamoDB:UserIllegalArgumentException') {
    util.error('nextToken is not one this API gave out', 'ValidationError', null, { field: 'nextToken' });
  }
  raiseDataSourceError(ctx);
  return { items: ctx.result.items, nextToken: ctx.result.nextToken || null };
}
