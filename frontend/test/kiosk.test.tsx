/**
 * The kiosk (`/kiosk#token=...`): a wall screen on a dashboard token. It reads the token from the
 * address's fragment, asks for no face and no sign-in, shows the board's figures and follows
 * their pushes, and leaves out what the token may not read (people's names).
 */
import { ApolloClient } from '@apollo/client';
import { MockLink } from '@apollo/client/testing';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCache, createDashboardClient } from '../src/data/client.ts';
import KioskPage, { readKioskToken } from '../src/dashboard/KioskPage.tsx';
import { BoardStatsDocument, OnBoardStatsDocument } from '../src/generated/graphql.ts';
import { renderWithApp } from './render.tsx';

vi.mock('../src/data/client.ts', async (original) => ({ ...(await original<object>()), createDashboardClient: vi.fn() }));

const base64url = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const tokenWith = (claims: object) => `${base64url({ alg: 'ES256', typ: 'JWT' })}.${base64url(claims)}.signature`;
const inADay = Math.floor(Date.now() / 1000) + 86_400;
const dashboardToken = tokenWith({ typ: 'dashboard', board: 'b-web', sub: 'dt-1', exp: inADay });

const figures = (total: number, done: number) => ({
  __typename: 'BoardStats',
  boardId: 'b-web',
  total,
  byStatus: [
    { __typename: 'StatusCount', status: 'TODO', count: total - done },
    { __typename: 'StatusCount', status: 'IN_PROGRESS', count: 0 },
    { __typename: 'StatusCount', status: 'BLOCKED', count: 0 },
    { __typename: 'StatusCount', status: 'DONE', count: done },
  ],
  byPriority: [{ __typename: 'PriorityCount', priority: 'MEDIUM', count: total }],
  overdue: 0,
  openByAssignee: [{ __typename: 'AssigneeCount', assigneeId: 'u-ana', count: total - done }],
  completedPerDay: [],
  updatedAt: '2026-12-07T10:00:00.000Z',
});

afterEach(() => history.replaceState(null, '', '/'));

describe('the kiosk', () => {
  it("shows the token's board's figures without a sign-in, and follows their changes", async () => {
    history.replaceState(null, '', `/kiosk#token=${dashboardToken}`);
    const mocks = [
      { request: { query: BoardStatsDocument, variables: { boardId: 'b-web' } }, result: { data: { boardStats: figures(3, 1) } }, maxUsageCount: 5 },
      { request: { query: OnBoardStatsDocument, variables: { boardId: 'b-web' } }, result: { data: { onBoardStats: figures(4, 2) } }, delay: 1500 },
      { request: { query: OnBoardStatsDocument, variables: { boardId: 'b-web' } }, delay: Infinity },
    ];
    vi.mocked(createDashboardClient).mockReturnValue(new ApolloClient({ link: new MockLink(mocks), cache: createCache() }));
    renderWithApp(<KioskPage />);

    const rows = () =>
      within(screen.getByRole('table', { name: 'Tasks by status' }))
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent);
    await screen.findByRole('table', { name: 'Tasks by status' });
    expect(vi.mocked(createDashboardClient).mock.calls[0]![1]).toBe(dashboardToken);
    expect(rows()).toEqual(['To do2', 'In progress0', 'Blocked0', 'Done1']);
    await waitFor(() => expect(rows()).toEqual(['To do2', 'In progress0', 'Blocked0', 'Done2']));
    // No names to read with this token: the per-person chart is left out; nothing to press but full screen.
    expect(screen.queryByRole('table', { name: 'Open tasks per person' })).toBeNull();
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.queryByText(/sign in|face/i)).toBeNull();
  });

  it('says what is wrong with an address without a usable token, and asks for nothing', () => {
    history.replaceState(null, '', '/kiosk');
    vi.mocked(createDashboardClient).mockClear();
    renderWithApp(<KioskPage />);
    expect(screen.getByRole('heading', { name: 'This wall screen cannot show a dashboard' })).toBeTruthy();
    expect(screen.getByText('This address has no dashboard token.')).toBeTruthy();
    expect(createDashboardClient).not.toHaveBeenCalled();
  });
});

describe('readKioskToken', () => {
  it('takes a dashboard token from the fragment, and refuses others', () => {
    expect(readKioskToken(`#token=${dashboardToken}`)).toMatchObject({ token: dashboardToken, boardId: 'b-web' });
    expect(readKioskToken('#')).toEqual({ problem: 'This address has no dashboard token.' });
    expect(readKioskToken('#token=nonsense')).toEqual({ problem: expect.stringContaining('damaged') });
    expect(readKioskToken(`#token=${tokenWith({ sub: 'u-1', role: 'ADMIN', exp: inADay })}`)).toEqual({ problem: 'The token in this address is not a dashboard token.' });
    expect(readKioskToken(`#token=${tokenWith({ typ: 'dashboard', board: 'b', exp: 1 })}`)).toEqual({ problem: 'The dashboard token in this address has expired.' });
  });
});
