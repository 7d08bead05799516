import { extensions, util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from './lib/audit';
import { requireBoardManager } from './lib/boards';
import { requireId } from './lib/paging';
import { cancellationReasons } from './lib/tasks';
import { notSelf } from './lib/users';
import type { MutationRemoveBoardMemberArgs } from '../api/generated/schema-types';

/**
 * (Board admins) Takes a person off a board: the membership and the audit entry in one
 * transaction; their live subscriptions to this board end at once, and their writes are refused
 * at once (every write checks the membership); their cached board list lapses within the
 * authorizer cache TTL.
 */
export function request(ctx: Context<MutationRemoveBoardMemberArgs>) {
  const caller = requireBoardManager(ctx, ctx.args.boardId);
  const userId = requireId(ctx.args.userId, 'userId');
  notSelf(caller.userId, userId, 'remove');
  const now = util.time.nowISO8601();
  return transactWrite({
    items: [
      { deleteItem: { table: ctx.env.BOARD_MEMBERS_TABLE, key: { boardId: ctx.args.boardId, userId }, condition: { userId: { attributeExists: true } } } },
      auditItem(ctx, caller.userId, 'BOARD_MEMBER_REMOVED', userId, { boardId: ctx.args.boardId }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationRemoveBoardMemberArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error('that person is not a member of this board', 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const payload = { boardMember: `${ctx.args.boardId}:${ctx.args.userId}` };
  extensions.invalidateSubscriptions({ subscriptionField: 'onTaskEvent', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onBoardStats', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onComment', payload });
  return ctx.args.userId;
}
