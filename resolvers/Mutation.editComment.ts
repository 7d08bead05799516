import { util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import { permissionsOf } from '../rules/board-access';
import { requireBoardReader } from './lib/caller';
import { commentBody, mentionList } from './lib/comments';
import { requireId } from './lib/paging';
import type { MutationEditCommentArgs } from '../api/generated/schema-types';

/** Changes one's own comment on a board; anyone else's is Unauthorized, a missing one NotFound. */
export function request(ctx: Context<MutationEditCommentArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  if (!permissionsOf(caller.boardRole).comment) {
    util.error('your role on this board may not comment', 'Unauthorized');
  }
  const changes: Record<string, unknown> = { body: commentBody(ctx.args.body), editedAt: util.time.nowISO8601() };
  if (ctx.args.mentions !== undefined && ctx.args.mentions !== null) changes.mentions = mentionList(ctx.args.mentions);
  return update({
    key: { taskId: requireId(ctx.args.taskId, 'taskId'), id: requireId(ctx.args.id, 'id') },
    update: changes,
    condition: { and: [{ boardId: { eq: caller.boardId } }, { authorId: { eq: caller.userId } }] },
  } as never);
}

export function response(ctx: Context<MutationEditCommentArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    const found = ctx.result as { boardId?: string } | null;
    if (!found || found.boardId !== ctx.args.boardId) {
      util.error(`comment ${ctx.args.id} does not exist`, 'NotFound');
    }
    util.error('only its author may edit a comment', 'Unauthorized');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return { ...ctx.result, mentions: ctx.result.mentions || [] };
}
