/**
 * The board switcher: a person on several boards chooses one, the address names it, and the
 * screens below work on it; an archived board is not offered; an open task's address becomes
 * the board's page.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { navigate } from '../src/app/router.tsx';
import { switchedPath, useCurrentBoard, WithCurrentBoard } from '../src/boards/current-board.tsx';
import { MyBoardsDocument } from '../src/generated/graphql.ts';
import { renderWithApp } from './render.tsx';

const board = (id: string, key: string, name: string, archivedAt: string | null = null) => ({
  __typename: 'Board' as const,
  id,
  key,
  name,
  settings: { __typename: 'BoardSettings' as const, membersCreateTasks: false, labels: [] },
  createdAt: '2026-11-01T00:00:00.000Z',
  archivedAt,
});

const myBoards = {
  request: { query: MyBoardsDocument },
  result: {
    data: {
      myBoards: [
        { __typename: 'BoardMembership', role: 'ADMIN', board: board('b-ops', 'OPS', 'Operations') },
        { __typename: 'BoardMembership', role: 'VIEWER', board: board('b-web', 'WEB', 'Website') },
        { __typename: 'BoardMembership', role: 'MEMBER', board: board('b-old', 'OLD', 'Old project', '2026-11-20T00:00:00.000Z') },
      ],
    },
  },
  maxUsageCount: 10,
};

function BoardInUse() {
  const { id, name, role } = useCurrentBoard();
  return (
    <p>
      Working on {name} ({id}) as {role}
    </p>
  );
}

describe('the board switcher', () => {
  beforeEach(() => sessionStorage.clear());

  it('lists the open boards, and switching shows the chosen one and puts it in the address', async () => {
    window.history.replaceState(null, '', '/board');
    renderWithApp(
      <WithCurrentBoard>
        <BoardInUse />
      </WithCurrentBoard>,
      { mocks: [myBoards] },
    );
    expect(await screen.findByText('Working on Operations (b-ops) as ADMIN')).toBeTruthy();
    const select = screen.getByRole('combobox', { name: 'Board' });
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Operations (OPS)', 'Website (WEB)']);
    await userEvent.selectOptions(select, 'WEB');
    expect(await screen.findByText('Working on Website (b-web) as VIEWER')).toBeTruthy();
    expect(location.pathname + location.search).toBe('/board?board=WEB');
    expect((screen.getByRole('combobox', { name: 'Board' }) as HTMLSelectElement).value).toBe('WEB');
    // The navigation's plain links keep the board chosen in this tab.
    navigate('/dashboard');
    expect(await screen.findByText('Working on Website (b-web) as VIEWER')).toBeTruthy();
  });

  it('is not shown on a wall screen', async () => {
    window.history.replaceState(null, '', '/dashboard?wall&board=WEB');
    renderWithApp(
      <WithCurrentBoard>
        <BoardInUse />
      </WithCurrentBoard>,
      { mocks: [myBoards] },
    );
    expect(await screen.findByText('Working on Website (b-web) as VIEWER')).toBeTruthy();
    expect(screen.queryByRole('combobox', { name: 'Board' })).toBeNull();
  });

  it('keeps the screen, but leaves an open task for the board page', () => {
    expect(switchedPath('/dashboard', 'WEB')).toBe('/dashboard?board=WEB');
    expect(switchedPath('/board/t-1', 'WEB')).toBe('/board?board=WEB');
  });
});
