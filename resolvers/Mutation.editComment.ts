import { util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { commentBody } from './lib/comments';
import { requireId } from './lib/paging';
import type { MutationEditCommentArgs } from '../api/generated/schema-types';

/** Changes one's own comment; anyone else's is Unauthorized, a missing one NotFound. */
export function request(ctx: Context<MutationEditCommentArgs>) {
  const caller = requireBoardUser(ctx);
  return update({
    key: { taskId: requireId(ctx.args.taskId, 'taskId'), id: requireId(ctx.args.id, 'id') },
    update: { body: commentBody(ctx.args.body), editedAt: util.time.nowISO8601() },
    condition: { authorId: { eq: caller.userId } },
  });
}

export function response(ctx: Context<MutationEditCommentArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    if (!ctx.result) {
      util.error(`comment ${ctx.args.id} does not exist`, 'NotFound');
    }
    util.error('only its author may edit a comment', 'Unauthorized');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
