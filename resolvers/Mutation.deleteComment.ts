import { util, type Context } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { requireId } from './lib/paging';
import type { MutationDeleteCommentArgs } from '../api/generated/schema-types';

/** Deletes one's own comment (admins may delete any); returns it as it was. */
export function request(ctx: Context<MutationDeleteCommentArgs>) {
  const caller = requireBoardUser(ctx);
  return remove({
    key: { taskId: requireId(ctx.args.taskId, 'taskId'), id: requireId(ctx.args.id, 'id') },
    condition: caller.role === 'ADMIN' ? { id: { attributeExists: true } } : { authorId: { eq: caller.userId } },
  });
}

export function response(ctx: Context<MutationDeleteCommentArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    if (!ctx.result) {
      util.error(`comment ${ctx.args.id} does not exist`, 'NotFound');
    }
    util.error('only its author may delete a comment', 'Unauthorized');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  // AppSync counts a delete whose item is already gone as done, with no item: nothing was deleted.
  if (!ctx.result) {
    util.error(`comment ${ctx.args.id} does not exist`, 'NotFound');
  }
  return ctx.result;
}
