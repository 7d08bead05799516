import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { requireId } from '../lib/paging';

/**
 * Reads `ctx.stash.taskId` (consistently) into `ctx.stash.task`; a missing task, or one on another
 * board than `ctx.stash.boardId`, is NotFound (the same words: nobody learns of other boards' ids).
 */
export function request(ctx: Context) {
  return get({ key: { id: requireId(ctx.stash.taskId as string, 'id') }, consistentRead: true });
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const task = ctx.result as { board?: string } | null;
  if (!task || task.board !== ctx.stash.boardId) {
    util.error(`task ${ctx.stash.taskId} does not exist`, 'NotFound');
  }
  ctx.stash.task = ctx.result;
  return ctx.result;
}
