import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireCaller } from '../lib/caller';
import { pageOf } from '../lib/paging';

/** The caller's memberships (byUser), read now rather than from the request's cached list, into `ctx.stash.memberships`. */
export function request(ctx: Context) {
  return query({ index: 'byUser', query: { userId: { eq: requireCaller(ctx).userId } }, limit: 100 } as never);
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  ctx.stash.memberships = page.items;
  return page.items;
}
