import { util, type Context } from '@aws-appsync/utils';
import { remove } from '@aws-appsync/utils/dynamodb';
import { permissionsOf } from '../rules/board-access';
import { requireBoardReader } from './lib/caller';
import { requireId } from './lib/paging';
import type { MutationDeleteCommentArgs } from '../api/generated/schema-types';

/** Deletes one's own comment (board admins may delete any); returns it as it was, with deletedAt. */
export function request(ctx: Context<MutationDeleteCommentArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  const permissions = permissionsOf(caller.boardRole);
  if (!permissions.comment) {
    util.error('your role on this board may not comment', 'Unauthorized');
  }
  const onBoard = { boardId: { eq: caller.boardId } };
  return remove({
    key: { taskId: requireId(ctx.args.taskId, 'taskId'), id: requireId(ctx.args.id, 'id') },
    condition: permissions.deleteAnyComment ? onBoard : { and: [onBoard, { authorId: { eq: caller.userId } }] },
  } as never);
}

export function response(ctx: Context<MutationDeleteCommentArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    const found = ctx.result as { boardId?: string } | null;
    if (!found || found.boardId !== ctx.args.boardId) {
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
  return { ...ctx.result, mentions: ctx.result.mentions || [], deletedAt: util.time.nowISO8601() };
}
