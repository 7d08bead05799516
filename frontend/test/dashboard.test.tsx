import { screen, waitFor, within } from '@testing-library/react';
import type { MockLink } from '@apollo/client/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import DashboardPage from '../src/dashboard/DashboardPage.tsx';
import { BoardStatsDocument, OnBoardStatsDocument, TeammatesDocument, type BoardStatsFieldsFragment } from '../src/generated/graphql.ts';
import { renderWithApp, testBoard } from './render.tsx';

/** The 14 UTC days ending 2025-03-14, each with `counts[i]` completions. */
const days = (counts: number[]) =>
  counts.map((count, i) => ({ __typename: 'DayCount', day: `2025-03-${String(i + 1).padStart(2, '0')}`, count }));

function stats(overrides: Partial<BoardStatsFieldsFragment> = {}) {
  return {
    __typename: 'BoardStats',
    boardId: testBoard.id,
    total: 12,
    byStatus: [
      { __typename: 'StatusCount', status: 'TODO', count: 5 },
      { __typename: 'StatusCount', status: 'IN_PROGRESS', count: 3 },
      { __typename: 'StatusCount', status: 'BLOCKED', count: 1 },
      { __typename: 'StatusCount', status: 'DONE', count: 3 },
    ],
    byPriority: [
      { __typename: 'PriorityCount', priority: 'LOW', count: 2 },
      { __typename: 'PriorityCount', priority: 'MEDIUM', count: 6 },
      { __typename: 'PriorityCount', priority: 'HIGH', count: 3 },
      { __typename: 'PriorityCount', priority: 'URGENT', count: 1 },
    ],
    overdue: 2,
    openByAssignee: [
      { __typename: 'AssigneeCount', assigneeId: 'u-ana', count: 4 },
      { __typename: 'AssigneeCount', assigneeId: 'u-ben', count: 3 },
      { __typename: 'AssigneeCount', assigneeId: 'u-gone', count: 1 },
    ],
    completedPerDay: days([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]),
    updatedAt: '2025-03-14T09:30:00.000Z',
    ...overrides,
  };
}

const teammates: MockLink.MockedResponse = {
  request: { query: TeammatesDocument, variables: { boardId: testBoard.id, nextToken: null } },
  result: {
    data: {
      teammates: {
        __typename: 'TeammateConnection',
        items: [
          { __typename: 'Teammate', id: 'u-ana', name: 'Ana Lima', email: 'ana@example.com' },
          { __typename: 'Teammate', id: 'u-ben', name: null, email: 'ben@example.com' },
        ],
        nextToken: null,
      },
    },
  },
  maxUsageCount: 5,
};

const boardStats = (data: object, delay?: number): MockLink.MockedResponse => ({ request: { query: BoardStatsDocument, variables: { boardId: testBoard.id } }, result: { data: { boardStats: data } }, delay });
/** A push of new figures after `delay` ms; Infinity: a subscription that stays quiet. */
const pushed = (data: object | null, delay: number): MockLink.MockedResponse => ({
  request: { query: OnBoardStatsDocument, variables: { boardId: testBoard.id } },
  ...(data ? { result: { data: { onBoardStats: data } } } : {}),
  delay,
});

/** The rows of a chart's text alternative, as "label value" strings. */
function rowsOf(name: string): string[] {
  const table = screen.getByRole('table', { name });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => `${within(row).getByRole('rowheader').textContent} ${within(row).getByRole('cell').textContent}`);
}

const liveState = () => screen.getAllByRole('status').map((status) => status.textContent).find((text) => /Live|Connecting|Reconnecting/.test(text ?? ''));

beforeEach(() => history.replaceState(null, '', '/dashboard'));
afterEach(() => history.replaceState(null, '', '/'));

describe('the dashboard', () => {
  it('charts every figure, each with a table of its numbers for screen readers', async () => {
    renderWithApp(<DashboardPage />, { mocks: [boardStats(stats()), pushed(null, Infinity), teammates] });

    expect(await screen.findByRole('table', { name: 'Tasks by status' })).toBeTruthy();
    expect(rowsOf('Tasks by status')).toEqual(['To do 5', 'In progress 3', 'Blocked 1', 'Done 3']);
    expect(rowsOf('Tasks by priority')).toEqual(['Urgent 1', 'High 3', 'Medium 6', 'Low 2']);
    // Names come from teammates (email when no name); someone no longer active, and the open
    // tasks nobody has (9 open - 8 assigned), are named too.
    await waitFor(() => expect(rowsOf('Open tasks per person')).toEqual(['Ana Lima 4', 'ben@example.com 3', 'Former member 1', 'Unassigned 1']));
    const perDay = rowsOf('Completed per day');
    expect(perDay).toHaveLength(14);
    expect(perDay[1]).toMatch(/^Sunday, March 2 1$|^Sunday 2 March 1$/);
    expect(perDay[13]).toMatch(/^Today, .*14.* 2$/);

    const tiles = screen.getByText('Tasks on the board').closest('dl')!;
    const tile = (label: string) => within(tiles).getByText(label).nextElementSibling!.textContent;
    expect(tile('Tasks on the board')).toBe('12');
    expect(tile('Open')).toMatch(/^9/);
    expect(tile('Overdue')).toMatch(/^2.*22% of open tasks/);
    expect(tile('Done in 14 days')).toBe('3');

    // The drawings draw the same numbers: bar widths relative to the largest, donut slices as shares.
    const priority = screen.getByRole('figure', { name: 'Tasks by priority' });
    expect(priority.querySelector('.dash-card-chart')!.getAttribute('aria-hidden')).toBe('true');
    const widths = [...priority.querySelectorAll<HTMLElement>('.dash-bar-fill')].map((bar) => bar.style.width);
    expect(widths).toEqual([`${(1 / 6) * 100}%`, '50%', '100%', `${(2 / 6) * 100}%`]);
    const slices = [...screen.getByRole('figure', { name: 'Tasks by status' }).querySelectorAll<SVGElement>('.dash-donut-slice')];
    expect(slices.map((slice) => slice.dataset.value)).toEqual(['5', '3', '1', '3']);
    expect(screen.getByText(/Last updated/).querySelector('time')!.getAttribute('datetime')).toBe('2025-03-14T09:30:00.000Z');
  });

  it('moves with the board: a pushed onBoardStats replaces the figures', async () => {
    const after = stats({
      total: 13,
      byStatus: [
        { __typename: 'StatusCount', status: 'TODO', count: 5 },
        { __typename: 'StatusCount', status: 'IN_PROGRESS', count: 2 },
        { __typename: 'StatusCount', status: 'BLOCKED', count: 1 },
        { __typename: 'StatusCount', status: 'DONE', count: 5 },
      ] as never,
      completedPerDay: days([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]) as never,
      updatedAt: '2025-03-14T10:00:00.000Z',
    });
    renderWithApp(<DashboardPage />, { mocks: [boardStats(stats()), pushed(after, 150), pushed(null, Infinity), teammates] });

    await screen.findByRole('table', { name: 'Tasks by status' });
    expect(rowsOf('Tasks by status')).toContain('Done 3');
    await waitFor(() => expect(rowsOf('Tasks by status')).toEqual(['To do 5', 'In progress 2', 'Blocked 1', 'Done 5']));
    expect(rowsOf('Completed per day')[13]).toMatch(/ 4$/);
    expect(screen.getByText(/Last updated/).querySelector('time')!.getAttribute('datetime')).toBe('2025-03-14T10:00:00.000Z');
  });

  it('says when live updates drop, reconnects, and then reads the figures it missed', async () => {
    const missed = stats({ total: 20 });
    renderWithApp(<DashboardPage />, {
      mocks: [
        boardStats(stats()),
        { request: { query: OnBoardStatsDocument, variables: { boardId: testBoard.id } }, error: new Error('Connection closed'), delay: 50 },
        pushed(null, Infinity),
        boardStats(missed),
        teammates,
      ],
    });
    await screen.findByRole('table', { name: 'Tasks by status' });
    await waitFor(() => expect(liveState()).toBe('Reconnecting…'));
    // Back (after a second's wait, and the subscription settling): the figures are read again.
    await waitFor(() => expect(liveState()).toBe('Live'), { timeout: 6000 });
    await waitFor(() => expect(screen.getByText('Tasks on the board').nextElementSibling!.textContent).toBe('20'));
  }, 10_000);

  it('reads the figures again once live: a change made before the subscription was up is not lost', async () => {
    const changedMeanwhile = stats({ total: 14 });
    renderWithApp(<DashboardPage />, { mocks: [boardStats(stats()), pushed(null, Infinity), boardStats(changedMeanwhile), teammates] });
    await screen.findByRole('table', { name: 'Tasks by status' });
    await waitFor(() => expect(liveState()).toBe('Live'), { timeout: 6000 });
    await waitFor(() => expect(screen.getByText('Tasks on the board').nextElementSibling!.textContent).toBe('14'));
  }, 10_000);

  it('says so when the board is empty, and still listens for the first task', async () => {
    const empty = stats({ total: 0, byStatus: [], byPriority: [], overdue: 0, openByAssignee: [], completedPerDay: days(Array(14).fill(0)) as never });
    renderWithApp(<DashboardPage />, { mocks: [boardStats(empty), pushed(stats(), 150), pushed(null, Infinity), teammates] });

    expect(await screen.findByRole('heading', { name: 'The board is empty' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to the board' }).getAttribute('href')).toBe('/board');
    expect(screen.queryByRole('table')).toBeNull();
    expect(await screen.findByRole('table', { name: 'Tasks by status' })).toBeTruthy();
  });

  it('offers wall mode, and in it a way back', async () => {
    const { unmount } = renderWithApp(<DashboardPage />, { mocks: [boardStats(stats()), pushed(null, Infinity), teammates] });
    expect(screen.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Wall mode' }).getAttribute('href')).toBe('/dashboard?wall');
    unmount();

    history.replaceState(null, '', '/dashboard?wall');
    const { container } = renderWithApp(<DashboardPage />, { mocks: [boardStats(stats()), pushed(null, Infinity), teammates] });
    expect(screen.getByRole('heading', { level: 1, name: 'SecureTask board' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Leave wall mode' }).getAttribute('href')).toBe('/dashboard');
    expect(container.querySelector('.dash-wall')).not.toBeNull();
  });

  it('shows why the figures cannot be read, with a way to try again', async () => {
    renderWithApp(<DashboardPage />, {
      mocks: [{ request: { query: BoardStatsDocument, variables: { boardId: testBoard.id } }, result: { errors: [{ message: 'Not allowed', extensions: {} }] } }, pushed(null, Infinity), teammates],
    });
    expect((await screen.findByRole('alert')).textContent).toContain('Not allowed');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
