import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { boardExists, requireBoardManager } from '../lib/boards';
import { cancellationReasons } from '../lib/tasks';
import type { MutationSetBoardMemberArgs } from '../../api/generated/schema-types';

/** The membership (new or changed), the check that the board exists, and the audit entry: one transaction. */
export function request(ctx: Context<MutationSetBoardMemberArgs>) {
  const caller = requireBoardManager(ctx, ctx.args.boardId);
  const user = ctx.stash.user as { id: string; status: string; name?: string; email: string };
  if (user.status === 'DISABLED') {
    util.error('a disabled user cannot join a board', 'ValidationError', null, { field: 'userId' });
  }
  const now = util.time.nowISO8601();
  const member = { boardId: ctx.args.boardId, userId: user.id, role: ctx.args.role, addedAt: now, addedBy: caller.userId };
  ctx.stash.member = { ...member, name: user.name || null, email: user.email };
  return transactWrite({
    items: [
      boardExists(ctx, ctx.args.boardId),
      { putItem: { table: ctx.env.BOARD_MEMBERS_TABLE, key: { boardId: member.boardId, userId: member.userId }, item: { role: member.role, addedAt: now, addedBy: caller.userId } } },
      auditItem(ctx, caller.userId, 'BOARD_MEMBER_SET', user.id, { boardId: member.boardId, role: member.role }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationSetBoardMemberArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error(`board ${ctx.args.boardId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.member;
}
