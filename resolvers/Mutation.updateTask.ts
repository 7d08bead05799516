import { util, type Context } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireCaller } from './lib/caller';
import { validateTaskFields } from './lib/tasks';
import type { MutationUpdateTaskArgs } from '../api/generated/schema-types';

/** Fields that may be cleared by sending null. */
const CLEARABLE = ['description', 'assigneeId', 'dueDate'];
const SETTABLE = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels'];

/**
 * Changes a task only if it is still at `expectedVersion`, and moves it to the next version.
 * A stale version is a `ConflictError` carrying the task as it is now; nothing is overwritten.
 */
export function request(ctx: Context<MutationUpdateTaskArgs>) {
  const caller = requireCaller(ctx);
  const input = ctx.args.input;
  validateTaskFields(input, false);
  const values = input as unknown as Record<string, unknown>;
  const changes: Record<string, unknown> = {
    updatedBy: caller.userId,
    updatedAt: util.time.nowISO8601(),
    version: input.expectedVersion + 1,
  };
  SETTABLE.forEach((field) => {
    const value = values[field];
    if (value === undefined) return;
    if (value === null) {
      if (CLEARABLE.indexOf(field) < 0) {
        util.error(`${field} cannot be cleared`, 'ValidationError', null, { field });
      }
      changes[field] = operations.remove();
      return;
    }
    changes[field] = field === 'title' ? (value as string).trim() : value;
  });
  return update({
    key: { id: input.id },
    update: changes,
    condition: { version: { eq: input.expectedVersion } },
  });
}

export function response(ctx: Context<MutationUpdateTaskArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    const current = ctx.result as { version: number } | null;
    if (!current) {
      util.error(`task ${ctx.args.input.id} does not exist`, 'NotFound');
    }
    util.error(
      `task was changed by someone else: it is at version ${current.version}, not ${ctx.args.input.expectedVersion}`,
      'ConflictError',
      current,
    );
  }
  raiseDataSourceError(ctx);
  return ctx.result;
}
