import type { Context } from '@aws-appsync/utils';
import { shownBoard } from './lib/boards';
import { requireCaller } from './lib/caller';

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
  const order = (row: { board: { name: unknown; archivedAt: unknown } }) => `${row.board.archivedAt ? '1' : '0'}${row.board.name}`;
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : 1));
}
