import type { Context } from '@aws-appsync/utils';
import { requireAdmin } from './lib/admin';
import type { MutationDeleteTaskArgs } from '../api/generated/schema-types';

/**
 * (Admins) Deletes a task at `expectedVersion` (pipeline: readTask, writeTaskDelete). Its history
 * stays, with a DELETED entry; the Tasks stream sees a REMOVE.
 */
export function request(ctx: Context<MutationDeleteTaskArgs>) {
  requireAdmin(ctx);
  ctx.stash.taskId = ctx.args.id;
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
