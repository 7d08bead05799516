import type { Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { pageLimit, pageOf, pageToken, requireId } from './lib/paging';
import type { QueryTaskHistoryArgs } from '../api/generated/schema-types';

/** A task's history, oldest first; it outlives the task. */
export function request(ctx: Context<QueryTaskHistoryArgs>) {
  requireBoardUser(ctx);
  return query({
    query: { taskId: { eq: requireId(ctx.args.taskId, 'taskId') } },
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    consistentRead: true,
  });
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  const items = (page.items as Record<string, unknown>[]).map((entry) => ({ ...entry, changes: entry.changes || [] }));
  return { items, nextToken: page.nextToken };
}
