import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import type { QueryMyTasksArgs } from '../api/generated/schema-types';

/** The caller's tasks, newest first, from the byAssignee index. */
export function request(ctx: Context<QueryMyTasksArgs>) {
  const caller = requireBoardUser(ctx);
  return query({
    index: 'byAssignee',
    query: { assigneeId: { eq: caller.userId } },
    filter: ctx.args.status ? { status: { eq: ctx.args.status } } : undefined,
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    scanIndexForward: false,
  } as never);
}

export function response(ctx: Context) {
  return pageOf(ctx);
}
