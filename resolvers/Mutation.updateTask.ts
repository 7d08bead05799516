import type { Context } from '@aws-appsync/utils';
import { requireBoardUser } from './lib/caller';
import { validateTaskFields } from './lib/tasks';
import type { MutationUpdateTaskArgs } from '../api/generated/schema-types';

/**
 * Changes a task only if it is still at `expectedVersion` (pipeline: readTask, writeTaskUpdate).
 * A stale version is a `ConflictError` carrying the task as it is now; nothing is overwritten.
 * Admins change anything; members change status, priority, description and position of tasks
 * assigned to them.
 */
export function request(ctx: Context<MutationUpdateTaskArgs>) {
  requireBoardUser(ctx);
  validateTaskFields(ctx.args.input, false);
  ctx.stash.taskId = ctx.args.input.id;
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
