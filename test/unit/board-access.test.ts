/**
 * What a board role may do (rules/board-access.ts): the one table the resolvers enforce and the
 * web app follows. The attacks on it run against the API in test/security/boards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  BOARD_PERMISSIONS,
  CHANGING_ROLES,
  COMMENTING_ROLES,
  boardIdsIn,
  boardRoleIn,
  changeRefusal,
  encodeMemberships,
  mayCreateTask,
  mayDeleteComment,
  mayManageBoard,
  permissionsOf,
} from '../../rules/board-access.ts';

describe('board roles', () => {
  it('let admins do everything on their board, members work on their tasks, viewers only read', () => {
    expect(Object.keys(BOARD_PERMISSIONS)).toEqual(['ADMIN', 'MEMBER', 'VIEWER']);
    expect(changeRefusal('ADMIN', 'a', { assigneeId: 'b' }, ['title', 'assigneeId', 'position'])).toBeNull();
    expect(changeRefusal('MEMBER', 'm', { assigneeId: 'm' }, ['status', 'priority', 'description', 'position'])).toBeNull();
    expect(changeRefusal('MEMBER', 'm', { assigneeId: 'x' }, ['status'])).toMatch(/assigned to them/);
    expect(changeRefusal('MEMBER', 'm', { assigneeId: 'm' }, ['title', 'assigneeId'])).toMatch(/title, assigneeId/);
    expect(changeRefusal('VIEWER', 'v', { assigneeId: 'v' }, ['status'])).toMatch(/may not change tasks/);
    expect(changeRefusal(null, 'n', { assigneeId: 'n' }, ['status'])).not.toBeNull();
  });

  it('let members create tasks only where the board allows it, viewers never', () => {
    expect(mayCreateTask('ADMIN', false)).toBe(true);
    expect(mayCreateTask('MEMBER', false)).toBe(false);
    expect(mayCreateTask('MEMBER', true)).toBe(true);
    expect(mayCreateTask('VIEWER', true)).toBe(false);
    expect(mayCreateTask(undefined, true)).toBe(false);
  });

  it('let authors delete their comments and board admins anyone’s; viewers do not comment', () => {
    expect(mayDeleteComment('MEMBER', 'm', 'm')).toBe(true);
    expect(mayDeleteComment('MEMBER', 'm', 'x')).toBe(false);
    expect(mayDeleteComment('ADMIN', 'a', 'x')).toBe(true);
    expect(mayDeleteComment('VIEWER', 'v', 'v')).toBe(false);
    expect(COMMENTING_ROLES).toEqual(['ADMIN', 'MEMBER']);
    expect(CHANGING_ROLES).toEqual(['ADMIN', 'MEMBER']);
  });

  it('let board admins and installation admins manage a board, nobody else', () => {
    expect(mayManageBoard('ADMIN', 'MEMBER')).toBe(true);
    expect(mayManageBoard(null, 'ADMIN')).toBe(true);
    expect(mayManageBoard('MEMBER', 'MEMBER')).toBe(false);
    expect(mayManageBoard('VIEWER', 'MEMBER')).toBe(false);
  });

  it('give nothing to someone who is not on the board', () => {
    expect(permissionsOf('OWNER').read).toBe(false);
    expect(permissionsOf(undefined).read).toBe(false);
  });
});

describe('memberships in the request', () => {
  const encoded = encodeMemberships([
    { boardId: 'main', role: 'ADMIN' },
    { boardId: 'ops', role: 'VIEWER' },
    { boardId: 'ops2', role: 'MEMBER' },
  ]);

  it('find the role on one board and never match a board by its prefix', () => {
    expect(boardRoleIn(encoded, 'main')).toBe('ADMIN');
    expect(boardRoleIn(encoded, 'ops')).toBe('VIEWER');
    expect(boardRoleIn(encoded, 'ops2')).toBe('MEMBER');
    expect(boardRoleIn(encoded, 'op')).toBeNull();
    expect(boardRoleIn(encoded, 'mai')).toBeNull();
    expect(boardRoleIn('', 'main')).toBeNull();
    expect(boardRoleIn(encoded, '')).toBeNull();
    expect(boardIdsIn(encoded)).toEqual(['main', 'ops', 'ops2']);
    expect(boardIdsIn('')).toEqual([]);
  });
});
