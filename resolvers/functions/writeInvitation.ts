import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireAdmin } from '../lib/admin';
import { boardExists } from '../lib/boards';
import { cancellationReasons } from '../lib/tasks';
import { INVITATION_SECONDS, invitedBoards } from '../lib/users';
import type { MutationInviteUserArgs } from '../../api/generated/schema-types';

/**
 * The invitation (a new one replaces a pending one), with the boards the person will join and
 * their role on each, the check that those boards exist, and its audit entry: one transaction. The
 * invitation gets an id for the audit log to name it by: audit entries never hold an email.
 */
export function request(ctx: Context<MutationInviteUserArgs>) {
  const caller = requireAdmin(ctx);
  const email = ctx.stash.email as string;
  if (ctx.stash.existing) {
    util.error('a user with this email already exists', 'ValidationError', null, { field: 'email' });
  }
  const boards = invitedBoards(ctx.args.boards);
  const now = util.time.nowISO8601();
  const id = util.autoId();
  const invitation = {
    email,
    role: ctx.args.role,
    boards,
    invitedBy: caller.userId,
    createdAt: now,
    expiresAt: util.time.nowEpochSeconds() + INVITATION_SECONDS,
  };
  ctx.stash.invitation = invitation;
  // Each board must exist when the invitation is made (the checks come first: their failures name the board).
  const items: unknown[] = boards.map((board) => boardExists(ctx, board.boardId));
  items.push({
    putItem: {
      table: ctx.env.INVITATIONS_TABLE,
      key: { email },
      item: { id, role: invitation.role, boards, invitedBy: invitation.invitedBy, createdAt: now, sentAt: now, expiresAt: invitation.expiresAt },
    },
  });
  items.push(auditItem(ctx, caller.userId, 'USER_INVITED', id, { role: ctx.args.role, boards }, now));
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationInviteUserArgs>) {
  const reasons = cancellationReasons(ctx);
  const missing = reasons.map((reason, i) => ({ reason, i })).filter((r) => r.reason.type === 'ConditionalCheckFailed');
  if (missing.length > 0) {
    const boards = ctx.stash.invitation.boards as { boardId: string }[];
    util.error(`board ${boards[missing[0].i].boardId} does not exist`, 'NotFound', null, { field: 'boards' });
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.invitation;
}
