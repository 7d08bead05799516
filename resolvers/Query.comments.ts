import type { Context } from '@aws-appsync/utils';
import { requireBoardUser } from './lib/caller';
import { pageOf, taskItemsPage } from './lib/paging';
import type { QueryCommentsArgs } from '../api/generated/schema-types';

/** A task's comments, oldest first (comment ids are ULIDs: time order). */
export function request(ctx: Context<QueryCommentsArgs>) {
  requireBoardUser(ctx);
  return taskItemsPage(ctx);
}

export function response(ctx: Context) {
  return pageOf(ctx);
}
