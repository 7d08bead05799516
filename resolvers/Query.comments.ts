import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { pageLimit, pageOf, pageToken, requireId } from './lib/paging';
import type { QueryCommentsArgs } from '../api/generated/schema-types';

/** A task's comments, oldest first (comment ids are ULIDs: time order). */
export function request(ctx: Context<QueryCommentsArgs>) {
  requireBoardUser(ctx);
  return query({
    query: { taskId: { eq: requireId(ctx.args.taskId, 'taskId') } },
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    consistentRead: true,
  });
}

export function response(ctx: Context) {
  return pageOf(ctx);
}
