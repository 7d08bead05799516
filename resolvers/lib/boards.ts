import { util, type Context } from '@aws-appsync/utils';
import { boardRoleIn, mayManageBoard } from '../../rules/board-access';
import { LIMITS } from '../../rules/task-rules';
import { boardIdArg, requireCaller, type Caller } from './caller';

/** Labels a board may offer. */
export const BOARD_LABELS_MAX = 50;

/** A Boards item as the API shows it. */
export function shownBoard(item: Record<string, unknown>) {
  return {
    id: item.id,
    key: item.key,
    name: item.name,
    settings: { membersCreateTasks: !!item.membersCreateTasks, labels: (item.labels as string[]) || [] },
    createdAt: item.createdAt,
    archivedAt: item.archivedAt || null,
  };
}

/** Board settings as given, checked: at most 50 labels of 1 to 32 characters, no repeats. */
export function checkedSettings(settings: { membersCreateTasks: boolean; labels: string[] }) {
  const labels = settings.labels.map((label) => label.trim());
  if (labels.length > BOARD_LABELS_MAX) {
    util.error(`a board offers at most ${BOARD_LABELS_MAX} labels`, 'ValidationError', null, { field: 'settings.labels' });
  }
  if (labels.some((label) => label.length < 1 || label.length > LIMITS.label)) {
    util.error(`each label must be 1 to ${LIMITS.label} characters`, 'ValidationError', null, { field: 'settings.labels' });
  }
  return { membersCreateTasks: settings.membersCreateTasks, labels: labels.filter((label, i) => labels.indexOf(label) === i) };
}

/** The caller, who must manage `boardId` (its board admins, and the installation's admins). */
export function requireBoardManager(ctx: Context, boardId: string): Caller {
  const caller = requireCaller(ctx);
  const board = boardIdArg(boardId);
  if (!mayManageBoard(boardRoleIn(caller.boards, board), caller.role)) {
    util.error('only the board’s admins may do this', 'Unauthorized');
  }
  return caller;
}

/** A condition that the board exists (a transaction item), so nothing is written for a board that is not there. */
export function boardExists(ctx: Context, boardId: string) {
  return { conditionCheck: { table: ctx.env.BOARDS_TABLE, key: { id: boardId }, condition: { id: { attributeExists: true } } } };
}
