import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { COMMENTING_ROLES, permissionsOf } from '../rules/board-access';
import { requireBoardReader } from './lib/caller';
import { commentBody, mentionList } from './lib/comments';
import { requireId } from './lib/paging';
import { cancellationReasons, refuseFailedChecks, writeChecks } from './lib/tasks';
import type { MutationAddCommentArgs } from '../api/generated/schema-types';

/**
 * Comments on a task of a board. The writer's membership, the board being open and the task being
 * on that board are checked in the comment's own transaction. Its answer is what onComment
 * subscribers of the board receive; the mentions are notified by the commentNotifier function.
 */
export function request(ctx: Context<MutationAddCommentArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  if (!permissionsOf(caller.boardRole).comment) {
    util.error('your role on this board may not comment', 'Unauthorized');
  }
  const taskId = requireId(ctx.args.taskId, 'taskId');
  const comment = {
    boardId: caller.boardId,
    taskId,
    id: util.autoUlid(),
    authorId: caller.userId,
    body: commentBody(ctx.args.body),
    mentions: mentionList(ctx.args.mentions),
    createdAt: util.time.nowISO8601(),
  };
  ctx.stash.comment = comment;
  const items: unknown[] = writeChecks(ctx, caller.boardId, caller.userId, COMMENTING_ROLES);
  items.push({ conditionCheck: { table: ctx.env.TASKS_TABLE, key: { id: taskId }, condition: { board: { eq: caller.boardId } } } });
  items.push({
    putItem: {
      table: ctx.env.COMMENTS_TABLE,
      key: { taskId, id: comment.id },
      item: { boardId: comment.boardId, authorId: comment.authorId, body: comment.body, mentions: comment.mentions, createdAt: comment.createdAt },
      condition: { id: { attributeExists: false } },
    },
  });
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationAddCommentArgs>) {
  const reasons = cancellationReasons(ctx);
  refuseFailedChecks(reasons);
  if (reasons.length > 2 && reasons[2].type === 'ConditionalCheckFailed') {
    util.error(`task ${ctx.args.taskId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.comment;
}
