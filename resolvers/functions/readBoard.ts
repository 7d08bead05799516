import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { mayCreateTask } from '../../rules/board-access';
import { requireBoardReader } from '../lib/caller';

/**
 * Reads the board `ctx.stash.boardId` into `ctx.stash.board` for a task to be created on it: it
 * must exist, not be archived, and let the caller's role create tasks (its settings say whether
 * members may).
 */
export function request(ctx: Context) {
  return get({ key: { id: ctx.stash.boardId as string }, consistentRead: true });
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const board = ctx.result as { id: string; key: string; membersCreateTasks?: boolean; archivedAt?: string } | null;
  if (!board) {
    util.error('you are not a member of this board', 'Unauthorized');
  }
  const found = board as { id: string; key: string; membersCreateTasks?: boolean; archivedAt?: string };
  if (found.archivedAt) {
    util.error('the board is archived: it is read-only', 'Unauthorized');
  }
  const caller = requireBoardReader(ctx, found.id);
  if (!mayCreateTask(caller.boardRole, !!found.membersCreateTasks)) {
    util.error('on this board only its admins create tasks', 'Unauthorized');
  }
  ctx.stash.board = found;
  return found;
}
