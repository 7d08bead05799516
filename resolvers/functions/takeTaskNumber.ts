import { util, type Context } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';

/**
 * Takes the board's next task number into `ctx.stash.taskNumber`: one atomic ADD on the board's
 * counter, so two creates at the same moment never get the same number and never conflict. It is
 * not part of the create's transaction (a transaction cannot return the number it incremented),
 * so a create that then fails leaves a gap in the board's keys, never a duplicate.
 */
export function request(ctx: Context) {
  return update({
    key: { id: ctx.stash.boardId as string },
    update: { taskCount: operations.increment(1) },
    condition: { and: [{ id: { attributeExists: true } }, { archivedAt: { attributeExists: false } }] },
  } as never);
}

export function response(ctx: Context) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    util.error('the board is archived: it is read-only', 'Unauthorized');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  ctx.stash.taskNumber = (ctx.result as { taskCount: number }).taskCount;
  return ctx.stash.taskNumber;
}
