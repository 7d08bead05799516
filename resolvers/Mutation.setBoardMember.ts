import type { Context } from '@aws-appsync/utils';
import { requireBoardManager } from './lib/boards';
import { notSelf } from './lib/users';
import type { MutationSetBoardMemberArgs } from '../api/generated/schema-types';

/**
 * (Board admins) Puts a user on a board with a board role, or changes their role there (pipeline:
 * readUser, writeBoardMember). Nobody changes their own role: the last board admin cannot lock
 * the board, and an installation admin can always repair it.
 */
export function request(ctx: Context<MutationSetBoardMemberArgs>) {
  const caller = requireBoardManager(ctx, ctx.args.boardId);
  notSelf(caller.userId, ctx.args.userId, 'change the board role of');
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
