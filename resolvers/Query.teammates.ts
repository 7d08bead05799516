import type { Context } from '@aws-appsync/utils';
import { scan } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import type { QueryTeammatesArgs } from '../api/generated/schema-types';

/**
 * Active users with only their id, name and email: what any member needs to read a card and pick
 * an assignee. A filtered scan of a team-sized table, read once when the board opens.
 */
export function request(ctx: Context<QueryTeammatesArgs>) {
  requireBoardUser(ctx);
  return scan({
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    filter: { status: { eq: 'ACTIVE' } },
  });
}

export function response(ctx: Context) {
  const users = ((ctx.result && ctx.result.items) || []) as { id: string; name?: string; email: string }[];
  return pageOf(ctx, users.map((user) => ({ id: user.id, name: user.name, email: user.email })));
}
