/**
 * The board page against mocked queries: the columns and cards as people read them, the filters
 * in the address, live changes from others, a refused move put back, and the conflict dialog
 * reached by saving over someone else's change. The live feed is replaced by a hand-driven one.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import BoardPage from '../src/board/BoardPage.tsx';
import { localDay } from '../src/board/format.ts';
import { followBoard, type BoardEvent } from '../src/data/board-feed.ts';
import { TaskCommentsDocument, TaskHistoryDocument, type BoardRole } from '../src/generated/graphql.ts';
import { Toasts } from '../src/ui/toasts.tsx';
import { ANA, BEN, boardAnswers, columnAnswer, moveRefused, signedIn, storedItem, task, teammatesAnswer, updateAnswer } from './board-fixtures.ts';
import { renderWithApp, testBoard } from './render.tsx';

vi.mock('../src/data/board-feed.ts', () => ({
  lastTaskEventSequence: vi.fn(async () => 41),
  followBoard: vi.fn(() => ({ stop: vi.fn(), lastSequence: () => null })),
}));

const yesterday = localDay(new Date(Date.now() - 86_400_000));
const tasks = [
  task({ id: 't1', title: 'Fix login', rank: 'B', assigneeId: ANA, priority: 'URGENT', dueDate: yesterday, labels: ['bug', 'auth'] }),
  task({ id: 't2', title: 'Write docs', rank: 'C', assigneeId: BEN, labels: ['docs'] }),
  task({ id: 't3', title: 'Ship board', rank: 'A', status: 'IN_PROGRESS' }),
  task({ id: 't4', title: 'Old chore', rank: 'A', status: 'DONE', dueDate: yesterday, assigneeId: ANA }),
];

/** The drawer's comments and history (read again as the task changes). */
const drawerAnswers = (taskId: string): MockLink.MockedResponse[] => [
  {
    request: { query: TaskCommentsDocument, variables: { boardId: testBoard.id, taskId, nextToken: null } },
    result: { data: { comments: { __typename: 'CommentConnection', items: [], nextToken: null } } },
    maxUsageCount: 5,
  },
  {
    request: { query: TaskHistoryDocument, variables: { boardId: testBoard.id, taskId, nextToken: null } },
    result: { data: { taskHistory: { __typename: 'TaskHistoryConnection', items: [], nextToken: null } } },
    maxUsageCount: 5,
  },
];

/** The board page for `user`, with `role` on the board (and, unless said, as their installation role). */
function renderBoard({
  mocks = boardAnswers(tasks),
  user = ANA,
  role = 'ADMIN',
  installationRole = role === 'VIEWER' ? 'MEMBER' : role,
  membersCreateTasks = false,
  taskId,
}: { mocks?: MockLink.MockedResponse[]; user?: string; role?: BoardRole; installationRole?: 'ADMIN' | 'MEMBER'; membersCreateTasks?: boolean; taskId?: string } = {}) {
  window.history.replaceState(null, '', taskId ? `/board/${taskId}` : '/board');
  return renderWithApp(
    <>
      <BoardPage params={taskId ? { taskId } : {}} />
      <Toasts />
    </>,
    { mocks, session: signedIn(user, installationRole), board: { ...testBoard, role, membersCreateTasks } },
  );
}

const column = (name: string) => screen.getByRole('region', { name });
const cardTitles = (name: string) =>
  within(column(name))
    .queryAllByRole('article')
    .map((card) => within(card).getByRole('heading').textContent);

/** The live feed's callback, once the board has loaded. */
async function feed(): Promise<(event: BoardEvent) => void> {
  await waitFor(() => expect(followBoard).toHaveBeenCalled());
  return vi.mocked(followBoard).mock.calls.at(-1)![3];
}

beforeEach(() => vi.mocked(followBoard).mockClear());
afterEach(() => vi.useRealTimers());

describe('the board', () => {
  it('shows each column in rank order with the facts of each card', async () => {
    renderBoard();
    expect(await screen.findByRole('article', { name: 'Fix login' })).toBeTruthy();
    expect(cardTitles('To do')).toEqual(['Fix login', 'Write docs']);
    expect(cardTitles('In progress')).toEqual(['Ship board']);
    expect(cardTitles('Blocked')).toEqual([]);
    expect(within(column('Blocked')).getByText('No tasks')).toBeTruthy();

    const fix = screen.getByRole('article', { name: 'Fix login' });
    expect(fix.textContent).toContain('Urgent priority');
    expect(fix.textContent).toContain('Assigned to Ana Lima');
    expect(fix.textContent).toContain('Overdue');
    expect(
      within(within(fix).getByRole('list', { name: 'Labels' }))
        .getAllByRole('listitem')
        .map((l) => l.textContent),
    ).toEqual(['bug', 'auth']);
    expect(within(fix).getByRole('link', { name: 'Fix login' }).getAttribute('href')).toBe('/board/t1');
    // A teammate without a name goes by their email; a done task is never overdue.
    expect(screen.getByRole('article', { name: 'Write docs' }).textContent).toContain('ben@example.com');
    expect(screen.getByRole('article', { name: 'Old chore' }).textContent).not.toContain('Overdue');
    expect(screen.getByText('4 tasks')).toBeTruthy();
  });

  it('reads every page of a long column, then follows the feed from the sequence read first', async () => {
    const page2 = task({ id: 't9', title: 'Second page', rank: 'Z' });
    renderBoard({
      mocks: [
        columnAnswer('TODO', tasks.slice(0, 2), { nextToken: 'next' }),
        columnAnswer('TODO', [page2], { after: 'next' }),
        columnAnswer('IN_PROGRESS', []),
        columnAnswer('BLOCKED', []),
        columnAnswer('DONE', []),
        teammatesAnswer,
      ],
    });
    await screen.findByRole('article', { name: 'Second page' });
    expect(cardTitles('To do')).toEqual(['Fix login', 'Write docs', 'Second page']);
    await feed();
    expect(vi.mocked(followBoard).mock.calls[0][1]).toBe(testBoard.id);
    expect(vi.mocked(followBoard).mock.calls[0][2]).toBe(41);
  });

  it('says so when the board cannot be read, and tries again', async () => {
    const failing: MockLink.MockedResponse = { request: columnAnswer('TODO', []).request, error: new TypeError('Failed to fetch') };
    renderBoard({ mocks: [failing, ...boardAnswers(tasks).slice(1), ...boardAnswers(tasks)] });
    expect((await screen.findByRole('alert')).textContent).toContain('SecureTask cannot be reached');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('article', { name: 'Fix login' })).toBeTruthy();
  });

  it('filters by assignee and label, and keeps the filters in the address', async () => {
    const user = userEvent.setup();
    renderBoard();
    await screen.findByRole('article', { name: 'Fix login' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Assignee' }), 'ben@example.com');
    expect(cardTitles('To do')).toEqual(['Write docs']);
    expect(location.search).toBe(`?assignee=${BEN}`);
    expect(within(column('To do')).getByText('1 of 2 tasks')).toBeTruthy();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Assignee' }), 'Everyone');
    await user.click(screen.getByRole('checkbox', { name: 'Only my tasks' }));
    expect(cardTitles('To do')).toEqual(['Fix login']);
    expect(cardTitles('Done')).toEqual(['Old chore']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Label' }), 'docs');
    expect(cardTitles('To do')).toEqual([]);
    expect(location.search).toBe('?label=docs&mine=1');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(cardTitles('To do')).toEqual(['Fix login', 'Write docs']);
  });

  it('applies changes from others as they arrive, says who did what, and ignores stale ones', async () => {
    renderBoard();
    await screen.findByRole('article', { name: 'Fix login' });
    const push = await feed();
    const moved = { ...tasks[1], status: 'DONE' as const, rank: 'B', version: 2, updatedBy: BEN };
    const event = (overrides: Partial<BoardEvent>): BoardEvent => ({
      boardId: testBoard.id,
      sequence: 42,
      type: 'TASK_UPDATED',
      taskId: 't2',
      task: moved,
      changes: [{ field: 'status', from: '"TODO"', to: '"DONE"' }],
      actorId: BEN,
      at: new Date().toISOString(),
      ...overrides,
    });
    act(() => push(event({})));
    expect(cardTitles('Done')).toEqual(['Old chore', 'Write docs']);
    expect(cardTitles('To do')).toEqual(['Fix login']);
    expect(screen.getByRole('article', { name: 'Write docs' }).textContent).toContain('Just changed');
    expect(await screen.findByText('ben@example.com moved “Write docs” to Done')).toBeTruthy();

    // A replay of the version before does not move it back.
    act(() => push(event({ sequence: 43, task: tasks[1] })));
    expect(cardTitles('Done')).toEqual(['Old chore', 'Write docs']);

    act(() => push(event({ sequence: 44, type: 'TASK_DELETED', task: moved })));
    expect(cardTitles('Done')).toEqual(['Old chore']);
    const created = task({ id: 't5', title: 'New from Ben', rank: 'A', version: 1 });
    act(() => push(event({ sequence: 45, type: 'TASK_CREATED', taskId: 't5', task: created, changes: [] })));
    expect(cardTitles('To do')).toEqual(['New from Ben', 'Fix login']);
  });

  it('lets a member move only the tasks assigned to them', async () => {
    renderBoard({ user: BEN, role: 'MEMBER' });
    await screen.findByRole('article', { name: 'Fix login' });
    expect(screen.queryByRole('button', { name: 'Move “Write docs”' })).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Move “Fix login”' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New task' })).toBeNull();
  });

  it('follows the role on this board, not the installation role', async () => {
    // An installation member who is this board's admin creates tasks and moves any of them.
    const { unmount } = renderBoard({ user: BEN, role: 'ADMIN', installationRole: 'MEMBER' });
    await screen.findByRole('article', { name: 'Fix login' });
    expect(screen.queryByRole('button', { name: 'New task' })).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Move “Fix login”' })).not.toBeNull();
    unmount();
    // An installation admin who only views this board changes nothing on it.
    const viewer = renderBoard({ user: ANA, role: 'VIEWER', installationRole: 'ADMIN' });
    await screen.findByRole('article', { name: 'Fix login' });
    expect(screen.queryByRole('button', { name: 'New task' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Move/ })).toBeNull();
    viewer.unmount();
    // A member creates tasks where the board lets members.
    renderBoard({ user: BEN, role: 'MEMBER', membersCreateTasks: true });
    await screen.findByRole('article', { name: 'Fix login' });
    expect(screen.queryByRole('button', { name: 'New task' })).not.toBeNull();
  });

  it('puts a refused move back and says why', async () => {
    const user = userEvent.setup();
    const theirs = { ...tasks[0], priority: 'LOW' as const, version: 2, updatedBy: BEN };
    const moves = [{ id: 't1', expectedVersion: 1, status: 'DONE', position: { after: 'A', before: null } }];
    renderBoard({ taskId: 't1', mocks: [...boardAnswers(tasks), ...drawerAnswers('t1'), moveRefused(moves, 'ConflictError', storedItem(theirs))] });
    const drawer = await screen.findByRole('dialog', { name: 'Fix login' });
    await user.selectOptions(within(drawer).getByRole('combobox', { name: 'Status' }), 'Done');
    expect(await screen.findByText(/“Fix login” was not moved: someone changed it a moment ago/)).toBeTruthy();
    expect(cardTitles('To do')).toEqual(['Fix login', 'Write docs']);
    expect(cardTitles('Done')).toEqual(['Old chore']);
    // The board now shows their version.
    expect(screen.getByRole('article', { name: 'Fix login' }).textContent).toContain('Low priority');
  });
});

describe('saving over someone else’s change', () => {
  const theirs = { ...tasks[0], priority: 'LOW' as const, description: 'From Ben', version: 2, updatedBy: BEN };
  const edit = { id: 't1', expectedVersion: 1, title: 'Fix the login loop' };

  async function editTitle(mocks: MockLink.MockedResponse[]) {
    const user = userEvent.setup();
    renderBoard({ taskId: 't1', mocks: [...boardAnswers(tasks), ...drawerAnswers('t1'), updateAnswer(edit, { conflict: theirs }), ...mocks] });
    const drawer = await screen.findByRole('dialog', { name: 'Fix login' });
    await user.click(within(drawer).getByRole('button', { name: 'Edit task' }));
    const form = screen.getByRole('dialog', { name: 'Edit task' });
    await user.clear(within(form).getByRole('textbox', { name: 'Title' }));
    await user.type(within(form).getByRole('textbox', { name: 'Title' }), 'Fix the login loop');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    const conflict = await screen.findByRole('alertdialog', { name: 'Someone else changed this task' });
    return { user, conflict };
  }

  it('keeps theirs: nothing more is sent and the board shows their version', async () => {
    const { user, conflict } = await editTitle([]);
    await user.click(within(conflict).getByRole('button', { name: 'Keep theirs' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByRole('article', { name: 'Fix login' }).textContent).toContain('Low priority');
    expect(await screen.findByText('Kept their version of “Fix login”.')).toBeTruthy();
  });

  it('applies mine over theirs at their version', async () => {
    const saved = { ...theirs, title: 'Fix the login loop', priority: 'URGENT' as const, description: null, version: 3 };
    const { user, conflict } = await editTitle([
      updateAnswer({ id: 't1', expectedVersion: 2, title: 'Fix the login loop', description: null, priority: 'URGENT' }, { task: saved }),
    ]);
    await user.click(within(conflict).getByRole('button', { name: 'Apply mine' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByText('Saved “Fix the login loop”.')).toBeTruthy();
    expect(screen.getByRole('article', { name: 'Fix the login loop' }).textContent).toContain('Urgent priority');
  });

  it('merges: my title with their priority and description', async () => {
    const saved = { ...theirs, title: 'Fix the login loop', version: 3 };
    const { user, conflict } = await editTitle([updateAnswer({ id: 't1', expectedVersion: 2, title: 'Fix the login loop' }, { task: saved })]);
    await user.click(within(conflict).getByRole('button', { name: 'Save merge' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getAllByText('Saved “Fix the login loop”.').length).toBeGreaterThan(0);
    expect(screen.getByRole('article', { name: 'Fix the login loop' }).textContent).toContain('Low priority');
  });
});
