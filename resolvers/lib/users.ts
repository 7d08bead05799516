import { util } from '@aws-appsync/utils';

/** How long an invitation stays open: 7 days. */
export const INVITATION_SECONDS = 7 * 24 * 3600;

/** Emails are kept lower case and trimmed, as the Users table holds them. */
export function normalEmail(email: string): string {
  const normal = email.trim().toLowerCase();
  if (normal.length < 3 || normal.length > 254) {
    util.error('email must be 3 to 254 characters', 'ValidationError', null, { field: 'email' });
  }
  return normal;
}

/** Admins may not take away their own access (role, status, existence): the last admin would lock everyone out. */
export function notSelf(callerId: string, userId: string, what: string): void {
  if (callerId === userId) {
    util.error(`admins cannot ${what} themselves`, 'ValidationError', null, { field: 'userId' });
  }
}

/** Boards one invitation may name. */
export const INVITATION_BOARDS_MAX = 20;

/** The boards of an invitation: distinct, at most 20, each with a board role. */
export function invitedBoards(boards: { boardId: string; role: string }[] | null | undefined): { boardId: string; role: string }[] {
  const list = boards || [];
  if (list.length > INVITATION_BOARDS_MAX) {
    util.error(`an invitation names at most ${INVITATION_BOARDS_MAX} boards`, 'ValidationError', null, { field: 'boards' });
  }
  const ids = list.map((board) => board.boardId);
  if (ids.some((id, i) => !id || id.length > 128 || ids.indexOf(id) !== i)) {
    util.error('each board may be named once, by its id', 'ValidationError', null, { field: 'boards' });
  }
  return list.map((board) => ({ boardId: board.boardId, role: board.role }));
}
