/**
 * Board settings: a board admin renames the board and sets its rules, changes a member's board
 * role, makes a wall-screen address (shown once, the token in the fragment) and revokes one;
 * someone else on the board sees who is on it and nothing to change.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { describe, expect, it } from 'vitest';
import BoardSettingsPage from '../src/boards/BoardSettingsPage.tsx';
import {
  BoardDetailsDocument,
  BoardMembersDocument,
  CreateDashboardTokenDocument,
  DashboardTokensDocument,
  RevokeDashboardTokenDocument,
  SetBoardMemberDocument,
  UpdateBoardDocument,
} from '../src/generated/graphql.ts';
import { Toasts } from '../src/ui/toasts.tsx';
import { ANA, BEN, signedIn } from './board-fixtures.ts';
import { renderWithApp, testBoard } from './render.tsx';

const board = (name = 'Operations', labels = ['ops']) => ({
  __typename: 'Board',
  id: testBoard.id,
  key: testBoard.key,
  name,
  settings: { __typename: 'BoardSettings', membersCreateTasks: false, labels },
  createdAt: '2026-11-01T00:00:00.000Z',
  archivedAt: null,
});
const member = (userId: string, name: string, role: string) => ({ __typename: 'BoardMember', boardId: testBoard.id, userId, role, name, email: `${userId}@example.com`, addedAt: '2026-11-01T00:00:00.000Z' });
const members = (benRole: string): MockLink.MockedResponse => ({
  request: { query: BoardMembersDocument, variables: { boardId: testBoard.id } },
  result: { data: { boardMembers: { __typename: 'BoardMemberConnection', items: [member(ANA, 'Ana', 'ADMIN'), member(BEN, 'Ben', benRole)], nextToken: null } } },
});
const token = (id: string, name: string, revokedAt: string | null = null) => ({
  __typename: 'DashboardToken',
  id,
  boardId: testBoard.id,
  name,
  createdBy: ANA,
  createdAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2027-03-01T00:00:00.000Z',
  revokedAt,
});
const tokens = (list: object[]): MockLink.MockedResponse => ({ request: { query: DashboardTokensDocument, variables: { boardId: testBoard.id } }, result: { data: { dashboardTokens: list } } });

describe('board settings', () => {
  it('let a board admin rename the board, change a role, make a wall screen address and revoke one', async () => {
    const mocks: MockLink.MockedResponse[] = [
      { request: { query: BoardDetailsDocument, variables: { id: testBoard.id } }, result: { data: { board: board() } }, maxUsageCount: 3 },
      members('MEMBER'),
      tokens([token('dt-1', 'Hallway')]),
      {
        request: { query: UpdateBoardDocument, variables: { input: { id: testBoard.id, name: 'Ops team', settings: { membersCreateTasks: true, labels: ['ops', 'bug'] } } } },
        result: { data: { updateBoard: board('Ops team', ['ops', 'bug']) } },
      },
      { request: { query: SetBoardMemberDocument, variables: { boardId: testBoard.id, userId: BEN, role: 'VIEWER' } }, result: { data: { setBoardMember: member(BEN, 'Ben', 'VIEWER') } } },
      members('VIEWER'),
      {
        request: { query: CreateDashboardTokenDocument, variables: { boardId: testBoard.id, name: 'Kitchen', expiresInDays: 30 } },
        result: { data: { createDashboardToken: { __typename: 'NewDashboardToken', dashboardToken: token('dt-2', 'Kitchen'), token: 'eyJ.dashboard.sig' } } },
      },
      tokens([token('dt-1', 'Hallway'), token('dt-2', 'Kitchen')]),
      { request: { query: RevokeDashboardTokenDocument, variables: { boardId: testBoard.id, id: 'dt-1' } }, result: { data: { revokeDashboardToken: token('dt-1', 'Hallway', '2026-12-07T00:00:00.000Z') } } },
      tokens([token('dt-1', 'Hallway', '2026-12-07T00:00:00.000Z'), token('dt-2', 'Kitchen')]),
    ];
    renderWithApp(
      <>
        <BoardSettingsPage />
        <Toasts />
      </>,
      { mocks, session: signedIn(ANA, 'MEMBER') },
    );
    const user = userEvent.setup();

    const name = await screen.findByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Ops team');
    await user.type(screen.getByLabelText(/Labels in use/), ', bug, ops');
    await user.click(screen.getByLabelText(/Members create tasks/));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Board settings saved.')).toBeTruthy();

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Board role of Ben' }), 'VIEWER');
    expect(await screen.findByText('Ben is now viewer.')).toBeTruthy();

    await user.type(screen.getByLabelText('Screen name'), 'Kitchen');
    const daysField = screen.getByLabelText('Works for (days)');
    await user.clear(daysField);
    await user.type(daysField, '30');
    await user.click(screen.getByRole('button', { name: 'Make a wall screen address' }));
    const address = (await screen.findByRole('textbox', { name: 'Wall screen address for Kitchen' })) as HTMLInputElement;
    expect(address.value).toBe(`${location.origin}/kiosk#token=eyJ.dashboard.sig`);

    await user.click(await screen.findByRole('button', { name: 'Revoke Hallway' }));
    expect(await screen.findByText('“Hallway” no longer shows the board.')).toBeTruthy();
    expect(within(screen.getByRole('list')).getByText(/revoked/)).toBeTruthy();
  });

  it('show someone who is not a board admin the members, and nothing to change', async () => {
    renderWithApp(<BoardSettingsPage />, { mocks: [members('MEMBER')], board: { ...testBoard, role: 'MEMBER' }, session: signedIn(BEN, 'MEMBER') });
    expect(await screen.findByRole('rowheader', { name: /Ben/ })).toBeTruthy();
    expect(screen.getByText('Member')).toBeTruthy();
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Wall screens' })).toBeNull();
  });
});
