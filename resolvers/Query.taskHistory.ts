import type { Context } from '@aws-appsync/utils';
import { requireBoardReader } from './lib/caller';
import { pageOf, taskItemsPage } from './lib/paging';
import type { QueryTaskHistoryArgs } from '../api/generated/schema-types';

/** A task's history, oldest first; it outlives the task. Only entries of the board named are read. */
export function request(ctx: Context<QueryTaskHistoryArgs>) {
  const board = requireBoardReader(ctx, ctx.args.boardId).boardId;
  return taskItemsPage(ctx, board);
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  const items = (page.items as Record<string, unknown>[]).map((entry) => ({ ...entry, changes: entry.changes || [] }));
  return { items, nextToken: page.nextToken };
}
