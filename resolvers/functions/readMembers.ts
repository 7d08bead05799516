import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { boardIdArg, requireBoardReader, requireCaller } from '../lib/caller';
import { pageLimit, pageOf, pageToken } from '../lib/paging';

/**
 * A page of a board's memberships into `ctx.stash.members`: for its members, and for the
 * installation's admins, who manage every board's members.
 */
export function request(ctx: Context<{ boardId: string; limit?: number | null; nextToken?: string | null }>) {
  const board = requireCaller(ctx).role === 'ADMIN' ? boardIdArg(ctx.args.boardId) : requireBoardReader(ctx, ctx.args.boardId).boardId;
  return query({
    query: { boardId: { eq: board } },
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    consistentRead: true,
  });
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  ctx.stash.members = page.items;
  ctx.stash.nextToken = page.nextToken;
  return page;
}
