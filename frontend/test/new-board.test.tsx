/**
 * A new board: the first admin of a new installation is on no board, and creates one from the
 * empty screen (a member there is told to ask an admin); the key is suggested from the name; a
 * taken key is said on the key's field.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { suggestBoardKey } from '../src/boards/NewBoardForm.tsx';
import { useCurrentBoard, WithCurrentBoard } from '../src/boards/current-board.tsx';
import { CreateBoardDocument, MyBoardsDocument } from '../src/generated/graphql.ts';
import { createSessionStore } from '../src/session/session.ts';
import { adminSession } from './admin-fixtures.ts';
import { memoryStorage, renderWithApp } from './render.tsx';

const platform = {
  __typename: 'Board' as const,
  id: 'b-pt',
  key: 'PT',
  name: 'Platform Team',
  settings: { __typename: 'BoardSettings' as const, membersCreateTasks: false, labels: [] },
  createdAt: '2026-12-07T10:00:00.000Z',
  archivedAt: null,
};
const noBoards = { request: { query: MyBoardsDocument }, result: { data: { myBoards: [] } } };
const withPlatform = { request: { query: MyBoardsDocument }, result: { data: { myBoards: [{ __typename: 'BoardMembership', role: 'ADMIN', board: platform }] } } };

function BoardInUse() {
  const { name, role } = useCurrentBoard();
  return (
    <p>
      Working on {name} as {role}
    </p>
  );
}

function memberSession() {
  const store = createSessionStore(memoryStorage());
  const claims = btoa(JSON.stringify({ sub: 'u-ana', email: 'ana@example.com', role: 'MEMBER', exp: Math.floor(Date.now() / 1000) + 1800 })).replace(/=+$/, '');
  store.signIn(`eyJhbGciOiJFUzI1NiJ9.${claims}.signature`);
  return store;
}

describe('a new board', () => {
  beforeEach(() => {
    sessionStorage.clear();
    window.history.replaceState(null, '', '/board');
  });

  it('is what an admin on no board is offered: named, its key suggested, created, and then in use', async () => {
    // Answered only when the variables are these: the name typed and the key suggested.
    const create = { request: { query: CreateBoardDocument, variables: { input: { key: 'PT', name: 'Platform Team' } } }, result: { data: { createBoard: platform } } };
    renderWithApp(
      <WithCurrentBoard>
        <BoardInUse />
      </WithCurrentBoard>,
      { mocks: [noBoards, create, withPlatform], session: adminSession() },
    );
    expect(await screen.findByRole('heading', { name: 'Create your first board', level: 1 })).toBeTruthy();
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'Platform Team');
    expect((screen.getByRole('textbox', { name: /^Key/ }) as HTMLInputElement).value).toBe('PT');
    await userEvent.click(screen.getByRole('button', { name: 'Create board' }));
    expect(await screen.findByText('Working on Platform Team as ADMIN')).toBeTruthy();
    expect(location.pathname + location.search).toBe('/board?board=PT');
  });

  it('says what is wrong before sending, and a key another board has on the key field', async () => {
    const taken = {
      request: { query: CreateBoardDocument, variables: { input: { key: 'OPS', name: 'Ops' } } },
      result: { errors: [{ message: 'the key OPS is taken by another board', errorType: 'ConflictError' } as never] },
    };
    renderWithApp(
      <WithCurrentBoard>
        <BoardInUse />
      </WithCurrentBoard>,
      { mocks: [noBoards, taken], session: adminSession() },
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Create board' }));
    expect(screen.getByText('Give the board a name of 1 to 80 characters.')).toBeTruthy();
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'Ops');
    const key = screen.getByRole('textbox', { name: /^Key/ });
    await userEvent.clear(key);
    await userEvent.type(key, '9x');
    await userEvent.click(screen.getByRole('button', { name: 'Create board' }));
    expect(screen.getByText(/Use 2 to 10 capital letters or digits/)).toBeTruthy();
    await userEvent.clear(key);
    await userEvent.type(key, 'ops');
    await userEvent.click(screen.getByRole('button', { name: 'Create board' }));
    expect(await screen.findByText('The key OPS is taken by another board. Choose another.')).toBeTruthy();
    expect(screen.queryByText(/Working on/)).toBeNull();
  });

  it('is not offered to a member on no board, who is told to ask an admin', async () => {
    renderWithApp(
      <WithCurrentBoard>
        <BoardInUse />
      </WithCurrentBoard>,
      { mocks: [noBoards], session: memberSession() },
    );
    expect(await screen.findByText('Ask an admin to add you to a board.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create board' })).toBeNull();
  });

  it('suggests a key from the initials of the name, or its first word', () => {
    expect(suggestBoardKey('Platform Team')).toBe('PT');
    expect(suggestBoardKey('Web site 2')).toBe('WS2');
    expect(suggestBoardKey('Operations')).toBe('OPERATIONS');
    expect(suggestBoardKey('Infrastructure')).toBe('INFRASTRUC');
    expect(suggestBoardKey('x')).toBe('');
  });
});
