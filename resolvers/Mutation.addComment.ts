import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { commentBody } from './lib/comments';
import { requireId } from './lib/paging';
import { cancellationReasons } from './lib/tasks';
import type { MutationAddCommentArgs } from '../api/generated/schema-types';

/** Comments on a task; the task must exist (checked in the same transaction). */
export function request(ctx: Context<MutationAddCommentArgs>) {
  const caller = requireBoardUser(ctx);
  const taskId = requireId(ctx.args.taskId, 'taskId');
  const comment = {
    taskId,
    id: util.autoUlid(),
    authorId: caller.userId,
    body: commentBody(ctx.args.body),
    createdAt: util.time.nowISO8601(),
  };
  ctx.stash.comment = comment;
  return transactWrite({
    items: [
      { conditionCheck: { table: ctx.env.TASKS_TABLE, key: { id: taskId }, condition: { id: { attributeExists: true } } } },
      {
        putItem: {
          table: ctx.env.COMMENTS_TABLE,
          key: { taskId, id: comment.id },
          item: { authorId: comment.authorId, body: comment.body, createdAt: comment.createdAt },
          condition: { id: { attributeExists: false } },
        },
      },
    ],
  } as never);
}

export function response(ctx: Context<MutationAddCommentArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error(`task ${ctx.args.taskId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.comment;
}
