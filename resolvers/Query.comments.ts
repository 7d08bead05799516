import type { Context } from '@aws-appsync/utils';
import { requireBoardReader } from './lib/caller';
import { pageOf, taskItemsPage } from './lib/paging';
import type { QueryCommentsArgs } from '../api/generated/schema-types';

/** A task's comments, oldest first (comment ids are ULIDs: time order), of the board named only. */
export function request(ctx: Context<QueryCommentsArgs>) {
  const board = requireBoardReader(ctx, ctx.args.boardId).boardId;
  return taskItemsPage(ctx, board);
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  return { items: (page.items as Record<string, unknown>[]).map((comment) => ({ ...comment, mentions: comment.mentions || [] })), nextToken: page.nextToken };
}
