import { util, type Context } from '@aws-appsync/utils';
import { batchGet } from '@aws-appsync/utils/dynamodb';

/**
 * Reads the tasks `ctx.stash.taskIds` (consistently) into `ctx.stash.tasks`, in order; a missing
 * one, or one on another board than `ctx.stash.boardId`, is NotFound.
 */
export function request(ctx: Context) {
  const ids = ctx.stash.taskIds as string[];
  return batchGet({
    tables: { [ctx.env.TASKS_TABLE]: { keys: ids.map((id) => ({ id })), consistentRead: true } },
  } as never);
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const ids = ctx.stash.taskIds as string[];
  const found = ctx.result.data[ctx.env.TASKS_TABLE] as (Record<string, unknown> | null)[];
  const unprocessed = ctx.result.unprocessedKeys[ctx.env.TASKS_TABLE] as unknown[];
  if (unprocessed && unprocessed.length > 0) {
    util.error('the tasks could not all be read; try again', 'RateLimited');
  }
  ids.forEach((id, i) => {
    const task = found[i];
    if (!task || task.board !== ctx.stash.boardId) {
      util.error(`task ${id} does not exist`, 'NotFound', null, { id });
    }
  });
  ctx.stash.tasks = found;
  return found;
}
