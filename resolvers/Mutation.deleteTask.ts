import { util, type Context } from '@aws-appsync/utils';
import { permissionsOf } from '../rules/board-access';
import { requireBoardReader } from './lib/caller';
import type { MutationDeleteTaskArgs } from '../api/generated/schema-types';

/**
 * (Board admins) Deletes a task at `expectedVersion` (pipeline: readTask, writeTaskDelete). Its
 * history stays, with a DELETED entry; the Tasks stream sees a REMOVE.
 */
export function request(ctx: Context<MutationDeleteTaskArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  if (!permissionsOf(caller.boardRole).deleteTasks) {
    util.error('only the board’s admins delete tasks', 'Unauthorized');
  }
  ctx.stash.boardId = caller.boardId;
  ctx.stash.taskId = ctx.args.id;
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
