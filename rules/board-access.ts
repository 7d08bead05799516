/**
 * What a board role may do: the one table (docs/boards.md shows it to people) that the resolvers
 * enforce and the web app follows, so the app never offers what the API refuses. APPSYNC_JS-safe
 * like task-rules.ts.
 *
 * Two kinds of role: the global role (ADMIN administers the installation: creates and archives
 * boards, manages users, and may manage any board's members and settings so no board is ever left
 * without an admin) and a board role per board (ADMIN, MEMBER, VIEWER), which decides everything
 * that happens on that board. A global ADMIN who is not a member of a board does not see its tasks.
 */

/** The roles a person can hold on a board. */
export const BOARD_ROLES = ['ADMIN', 'MEMBER', 'VIEWER'];

/** Which tasks a role may change. */
export type TaskScope = 'any' | 'assigned' | 'none';

/** What one board role may do. */
export interface BoardPermissions {
  /** Tasks, history, comments, figures, events, members. */
  read: boolean;
  /** Create tasks: always, or only where the board's settings let members (membersCreateTasks). */
  createTasks: 'always' | 'ifBoardAllows' | 'never';
  /** Which tasks it may change and move. */
  changeTasks: TaskScope;
  /** Which fields of those tasks (`position` is the card's place in its column). */
  changeFields: string[];
  deleteTasks: boolean;
  /** Add comments, and edit and delete one's own. */
  comment: boolean;
  /** Delete other people's comments. */
  deleteAnyComment: boolean;
  /** Members, settings, name, dashboard tokens. */
  manageBoard: boolean;
}

const ALL_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels', 'position'];

/** The table. */
export const BOARD_PERMISSIONS: Record<string, BoardPermissions> = {
  ADMIN: {
    read: true,
    createTasks: 'always',
    changeTasks: 'any',
    changeFields: ALL_FIELDS,
    deleteTasks: true,
    comment: true,
    deleteAnyComment: true,
    manageBoard: true,
  },
  MEMBER: {
    read: true,
    createTasks: 'ifBoardAllows',
    changeTasks: 'assigned',
    changeFields: ['status', 'priority', 'description', 'position'],
    deleteTasks: false,
    comment: true,
    deleteAnyComment: false,
    manageBoard: false,
  },
  VIEWER: {
    read: true,
    createTasks: 'never',
    changeTasks: 'none',
    changeFields: [],
    deleteTasks: false,
    comment: false,
    deleteAnyComment: false,
    manageBoard: false,
  },
};

const NOTHING: BoardPermissions = {
  read: false,
  createTasks: 'never',
  changeTasks: 'none',
  changeFields: [],
  deleteTasks: false,
  comment: false,
  deleteAnyComment: false,
  manageBoard: false,
};

/** The permissions of a board role; someone with no role on the board may do nothing there. */
export function permissionsOf(role: string | null | undefined): BoardPermissions {
  return role && BOARD_PERMISSIONS[role] ? BOARD_PERMISSIONS[role] : NOTHING;
}

/** Roles that may comment: a write on a comment checks the writer's membership for one of them. */
export const COMMENTING_ROLES = BOARD_ROLES.filter((role) => BOARD_PERMISSIONS[role].comment);
/** Roles that may change some task: a task write checks the writer's membership for one of them. */
export const CHANGING_ROLES = BOARD_ROLES.filter((role) => BOARD_PERMISSIONS[role].changeTasks !== 'none');
/** Roles that may read a board. */
export const READING_ROLES = BOARD_ROLES.filter((role) => BOARD_PERMISSIONS[role].read);

/**
 * A person's memberships as the authorizer puts them in the request (`boards`): "boardId:ROLE"
 * pairs separated by spaces. A string, because that is what every AppSync resolverContext value
 * may be.
 */
export function encodeMemberships(memberships: { boardId: string; role: string }[]): string {
  return memberships.map((m) => `${m.boardId}:${m.role}`).join(' ');
}

/** The board role in an encoded membership list, or null when the person is not a member. */
export function boardRoleIn(encoded: string | null | undefined, boardId: string): string | null {
  if (!encoded || !boardId) return null;
  const found = encoded.split(' ').filter((pair) => pair.slice(0, boardId.length + 1) === `${boardId}:`);
  return found.length > 0 ? found[0].slice(boardId.length + 1) : null;
}

/** The board ids in an encoded membership list. */
export function boardIdsIn(encoded: string | null | undefined): string[] {
  if (!encoded) return [];
  return encoded
    .split(' ')
    .filter((pair) => pair.length > 0)
    .map((pair) => pair.slice(0, pair.lastIndexOf(':')));
}

/** Whether a role may create tasks on a board with these settings. */
export function mayCreateTask(role: string | null | undefined, membersCreateTasks: boolean): boolean {
  const rule = permissionsOf(role).createTasks;
  return rule === 'always' || (rule === 'ifBoardAllows' && membersCreateTasks);
}

/** Why this person may not change these fields of this task, or null when they may. */
export function changeRefusal(role: string | null | undefined, userId: string, task: { assigneeId?: string | null }, fields: string[]): string | null {
  const permissions = permissionsOf(role);
  if (permissions.changeTasks === 'none') return 'your role on this board may not change tasks';
  if (permissions.changeTasks === 'assigned' && task.assigneeId !== userId) return 'members may change only tasks assigned to them';
  const forbidden = fields.filter((field) => permissions.changeFields.indexOf(field) < 0);
  return forbidden.length > 0 ? `your role on this board may not change ${forbidden.join(', ')}` : null;
}

/** Whether a person may manage a board: its admins, and the installation's admins. */
export function mayManageBoard(boardRole: string | null | undefined, globalRole: string | null | undefined): boolean {
  return permissionsOf(boardRole).manageBoard || globalRole === 'ADMIN';
}

/** Whether a person may delete a comment: their own if they may comment, anyone's if the role says so. */
export function mayDeleteComment(role: string | null | undefined, userId: string, authorId: string): boolean {
  const permissions = permissionsOf(role);
  return permissions.deleteAnyComment || (permissions.comment && authorId === userId);
}
