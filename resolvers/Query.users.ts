import type { Context } from '@aws-appsync/utils';
import { scan } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import type { QueryUsersArgs } from '../api/generated/schema-types';

/** (Admins) Every user, a page at a time. A paginated scan: an admin screen, not a hot path. */
export function request(ctx: Context<QueryUsersArgs>) {
  requireAdmin(ctx);
  return scan({ limit: pageLimit(ctx.args.limit), nextToken: pageToken(ctx.args.nextToken) });
}

export function response(ctx: Context) {
  return pageOf(ctx);
}
