import { runtime, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireCaller } from './lib/caller';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import { shown } from './lib/tasks';
import { boardIdsIn } from '../rules/board-access';
import type { QueryMyTasksArgs } from '../api/generated/schema-types';

/**
 * The caller's tasks, newest first, from the byAssignee index, narrowed to the boards they are a
 * member of: a task of a board they have left stays assigned to them but out of sight.
 */
export function request(ctx: Context<QueryMyTasksArgs>) {
  const caller = requireCaller(ctx);
  const boards = boardIdsIn(caller.boards);
  if (boards.length === 0) {
    // Someone on no board has no tasks to see.
    runtime.earlyReturn({ items: [], nextToken: null });
  }
  const narrow: Record<string, unknown>[] = [{ board: { in: boards } }];
  if (ctx.args.status) narrow.push({ status: { eq: ctx.args.status } });
  return query({
    index: 'byAssignee',
    query: { assigneeId: { eq: caller.userId } },
    filter: narrow.length === 1 ? narrow[0] : { and: narrow },
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    scanIndexForward: false,
  } as never);
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  return { items: (page.items as Record<string, unknown>[]).map((task) => shown(task)), nextToken: page.nextToken };
}
