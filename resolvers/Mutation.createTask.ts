import { util, type Context } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireCaller } from './lib/caller';
import { BOARD, validateTaskFields } from './lib/tasks';
import type { MutationCreateTaskArgs } from '../api/generated/schema-types';

/** Creates a task at version 1 on the board. */
export function request(ctx: Context<MutationCreateTaskArgs>) {
  const caller = requireCaller(ctx);
  const input = ctx.args.input;
  validateTaskFields(input, true);
  const now = util.time.nowISO8601();
  const item: Record<string, unknown> = {
    board: BOARD,
    title: input.title.trim(),
    status: input.status || 'TODO',
    priority: input.priority || 'MEDIUM',
    labels: input.labels || [],
    createdBy: caller.userId,
    createdAt: now,
    updatedBy: caller.userId,
    updatedAt: now,
    version: 1,
  };
  if (input.description) item.description = input.description;
  if (input.assigneeId) item.assigneeId = input.assigneeId;
  if (input.dueDate) item.dueDate = input.dueDate;
  return put({ key: { id: util.autoId() }, item, condition: { id: { attributeExists: false } } });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  return ctx.result;
}
