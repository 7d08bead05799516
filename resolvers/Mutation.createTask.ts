import { util, type Context } from '@aws-appsync/utils';
import { permissionsOf } from '../rules/board-access';
import { requireBoardReader } from './lib/caller';
import { validateTaskFields } from './lib/tasks';
import type { MutationCreateTaskArgs } from '../api/generated/schema-types';

/**
 * Creates a task at version 1 on a board (pipeline: readBoard, takeTaskNumber, writeTaskCreate):
 * board admins always, members where the board's settings let them. Its key is the board's
 * prefix and the next number of the board's counter (OPS-42): unique, and never reused, since
 * the counter only grows (a create that fails after taking its number leaves a gap).
 */
export function request(ctx: Context<MutationCreateTaskArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  if (permissionsOf(caller.boardRole).createTasks === 'never') {
    util.error('your role on this board may not create tasks', 'Unauthorized');
  }
  validateTaskFields(ctx.args.input, true);
  ctx.stash.boardId = caller.boardId;
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
