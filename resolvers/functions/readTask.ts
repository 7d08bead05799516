import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { requireId } from '../lib/paging';

/** Reads `ctx.stash.taskId` (consistently) into `ctx.stash.task`; a missing task is NotFound. */
export function request(ctx: Context) {
  return get({ key: { id: requireId(ctx.stash.taskId as string, 'id') }, consistentRead: true });
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  if (!ctx.result) {
    util.error(`task ${ctx.stash.taskId} does not exist`, 'NotFound');
  }
  ctx.stash.task = ctx.result;
  return ctx.result;
}
