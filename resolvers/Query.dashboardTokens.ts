import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireBoardManager } from './lib/boards';
import { pageOf } from './lib/paging';
import type { QueryDashboardTokensArgs } from '../api/generated/schema-types';

/** (Board admins) A board's dashboard tokens, newest first, revoked and expired ones included (never the tokens themselves). */
export function request(ctx: Context<QueryDashboardTokensArgs>) {
  requireBoardManager(ctx, ctx.args.boardId);
  return query({ index: 'byBoard', query: { boardId: { eq: ctx.args.boardId } }, scanIndexForward: false, limit: 200 } as never);
}

export function response(ctx: Context) {
  return (pageOf(ctx).items as Record<string, unknown>[]).map((item) => ({ ...item, revokedAt: item.revokedAt || null }));
}
