import type { Context } from '@aws-appsync/utils';
import { shownBoard } from './lib/boards';
import { requireCaller } from './lib/caller';
import { orderOf } from './lib/paging';

/**
 * The caller's boards with their role on each, archived ones last, by name (pipeline:
 * readMemberships, readBoards). Read from the table, not the request's list, so a board someone
 * was just added to shows at once.
 */
export function request(ctx: Context) {
  requireCaller(ctx);
  return {};
}

export function response(ctx: Context) {
  const memberships = ctx.stash.memberships as { boardId: string; role: string }[];
  const boards = ctx.stash.boards as Record<string, unknown>[];
  const rows = boards.map((board) => ({
    board: shownBoard(board),
    role: memberships.filter((m) => m.boardId === board.id)[0].role,
  }));
  return orderOf(rows.map((row) => `${row.board.archivedAt ? '1' : '0'}${row.board.name}`)).map((i) => rows[i]);
}
