import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireCaller } from './lib/caller';
import type { QueryNotificationsArgs } from '../api/generated/schema-types';

/** The caller's own notifications, newest first. */
export function request(ctx: Context<QueryNotificationsArgs>) {
  const caller = requireCaller(ctx);
  const limit = ctx.args.limit === undefined || ctx.args.limit === null ? 50 : ctx.args.limit;
  if (limit < 1 || limit > 100) {
    util.error('limit must be from 1 to 100', 'ValidationError', null, { field: 'limit' });
  }
  return query({
    query: { userId: { eq: caller.userId } },
    limit,
    nextToken: ctx.args.nextToken || undefined,
    scanIndexForward: false,
  });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  return { items: ctx.result.items, nextToken: ctx.result.nextToken || null };
}
