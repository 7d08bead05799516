import type { Context } from '@aws-appsync/utils';
import { requireBoardReader } from './lib/caller';
import { validateTaskFields } from './lib/tasks';
import type { MutationUpdateTaskArgs } from '../api/generated/schema-types';

/**
 * Changes a task of a board only if it is still at `expectedVersion` (pipeline: readTask,
 * writeTaskUpdate). A stale version is a `ConflictError` carrying the task as it is now; nothing
 * is overwritten. What the caller may change follows their board role (rules/board-access.ts).
 */
export function request(ctx: Context<MutationUpdateTaskArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  validateTaskFields(ctx.args.input, false);
  ctx.stash.boardId = caller.boardId;
  ctx.stash.taskId = ctx.args.input.id;
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
