/**
 * The board's plain modules: card order and ranks, the columns as changes arrive, where a dropped
 * card lands among its column's cards, the filters in the address, and the sentences of live changes.
 */
import { describe, expect, it } from 'vitest';
import { boardOf, putTask, removeTask } from '../src/board/board-state.ts';
import { moveFor, neighboursInColumn } from '../src/board/drag.ts';
import { filtersFrom, searchOf, taskMatcher } from '../src/board/filters.ts';
import { describeChange } from '../src/board/live-changes.ts';
import { compareRanks, positionBetween, rankBetween } from '../src/board/rank.ts';
import type { BoardEvent } from '../src/data/board-feed.ts';
import { ANA, BEN, task } from './board-fixtures.ts';

const titles = (list: readonly { title: string }[]) => list.map((t) => t.title);

describe('ranks', () => {
  it('give a rank strictly between two neighbours, as the server does', () => {
    expect(rankBetween(undefined, undefined)).toBe('V');
    expect(rankBetween('V', undefined)).toBe('k');
    expect(rankBetween(undefined, 'V')).toBe('F');
    const pairs: [string | undefined, string | undefined][] = [
      ['A', 'B'],
      ['V', 'V1'],
      ['y0000001V', 'y0000002V'],
      ['a', 'b'],
      ['Zz', 'a'],
    ];
    for (const [above, below] of pairs) {
      const rank = rankBetween(above, below)!;
      if (above) expect(compareRanks(above, rank)).toBe(-1);
      if (below) expect(compareRanks(rank, below)).toBe(-1);
      expect(rank.endsWith('0')).toBe(false);
    }
  });

  it('put cards without a rank last and drop a neighbour that cannot bound', () => {
    expect(compareRanks(null, 'a')).toBe(1);
    expect(compareRanks('a', null)).toBe(-1);
    expect(positionBetween('b', 'b')).toEqual({ after: 'b', before: null });
    expect(positionBetween(null, 'c')).toEqual({ after: null, before: 'c' });
  });
});

describe('the board state', () => {
  const a = task({ id: 'a', title: 'A', rank: 'B' });
  const b = task({ id: 'b', title: 'B', rank: 'C' });
  const c = task({ id: 'c', title: 'C', rank: 'A', status: 'DONE' });

  it('groups tasks into columns in rank order', () => {
    const board = boardOf([b, a, c]);
    expect(titles(board.columns.TODO)).toEqual(['A', 'B']);
    expect(titles(board.columns.DONE)).toEqual(['C']);
  });

  it('takes only newer versions, and keeps untouched columns as they were', () => {
    const board = boardOf([a, b, c]);
    const moved = putTask(board, { ...a, status: 'DONE', rank: 'B', version: 2 });
    expect(titles(moved.columns.TODO)).toEqual(['B']);
    expect(titles(moved.columns.DONE)).toEqual(['C', 'A']);
    expect(moved.columns.IN_PROGRESS).toBe(board.columns.IN_PROGRESS);
    // A replay of an older version changes nothing.
    expect(putTask(moved, { ...a, title: 'stale', version: 1 })).toBe(moved);
    expect(putTask(moved, { ...a, title: 'same version', version: 2 })).toBe(moved);
  });

  it('does not let an older event bring a deleted task back', () => {
    const board = removeTask(boardOf([a, b]), 'a', 3);
    expect(titles(board.columns.TODO)).toEqual(['B']);
    expect(putTask(board, { ...a, version: 3 })).toBe(board);
    expect(titles(putTask(board, { ...a, version: 4 }).columns.TODO)).toEqual(['A', 'B']);
  });
});

describe('dropping a card', () => {
  const column = ['p', 'q', 'r', 's'].map((id, i) => task({ id, rank: String.fromCharCode(66 + i) }));

  it('places it right below the card shown above it, even when filters hide cards between', () => {
    // Shown: p, s (q and r filtered out); the card x is dropped between them.
    const { above, below } = neighboursInColumn(column, ['p', 'x', 's'], 'x');
    expect([above?.id, below?.id]).toEqual(['p', 'q']);
  });

  it('places it above the card shown below it at the top, and at the bottom of an empty view', () => {
    expect(neighboursInColumn(column, ['x', 'r'], 'x')).toEqual({ above: column[1], below: column[2] });
    expect(neighboursInColumn(column, ['x'], 'x')).toEqual({ above: column[3] });
  });

  it('asks for no move when the card stays between the same neighbours', () => {
    const q = column[1];
    expect(moveFor(q, 'TODO', column, { above: column[0], below: column[2] })).toBeUndefined();
    expect(moveFor(q, 'TODO', column, { above: column[2], below: column[3] })).toEqual({ after: 'D', before: 'E' });
    expect(moveFor(q, 'DONE', [], {})).toEqual({ after: null, before: null });
  });
});

describe('filters', () => {
  it('round-trip through the address', () => {
    const filters = filtersFrom(new URLSearchParams('assignee=u-ana&label=bug&mine=1'));
    expect(filters).toEqual({ assignee: 'u-ana', label: 'bug', mine: true });
    expect(searchOf(filters)).toBe('?assignee=u-ana&label=bug&mine=1');
    expect(searchOf({ assignee: null, label: null, mine: false })).toBe('');
  });

  it('match by assignee, unassigned, label and mine', () => {
    const mine = task({ id: '1', assigneeId: ANA, labels: ['bug'] });
    const bens = task({ id: '2', assigneeId: BEN });
    const nobody = task({ id: '3' });
    const pick = (search: string) => [mine, bens, nobody].filter(taskMatcher(filtersFrom(new URLSearchParams(search)), ANA)!).map((t) => t.id);
    expect(pick('assignee=u-ben')).toEqual(['2']);
    expect(pick('assignee=none')).toEqual(['3']);
    expect(pick('label=bug')).toEqual(['1']);
    expect(pick('mine=1')).toEqual(['1']);
    expect(taskMatcher(filtersFrom(new URLSearchParams('')), ANA)).toBeUndefined();
  });
});

describe('live changes', () => {
  const event = (overrides: Partial<BoardEvent>): BoardEvent => ({
    boardId: 'b-ops',
    sequence: 1,
    type: 'TASK_UPDATED',
    taskId: 't',
    task: task({ id: 't', title: 'Fix login', status: 'DONE', version: 2 }),
    changes: [],
    actorId: BEN,
    at: '2026-03-01T10:00:00.000Z',
    ...overrides,
  });
  const before = task({ id: 't', title: 'Fix login' });

  it('are told in a sentence with the person and the task', () => {
    expect(describeChange(event({ changes: [{ field: 'status', from: '"TODO"', to: '"DONE"' }] }), before, 'Ben')).toBe(
      'Ben moved “Fix login” to Done',
    );
    expect(describeChange(event({ type: 'TASK_CREATED' }), undefined, 'Ben')).toBe('Ben added “Fix login” to Done');
    expect(describeChange(event({ type: 'TASK_DELETED' }), before, 'Ben')).toBe('Ben deleted “Fix login”');
    const edited = event({
      task: { ...before, version: 2 },
      changes: [
        { field: 'priority', from: null, to: null },
        { field: 'dueDate', from: null, to: null },
      ],
    });
    expect(describeChange(edited, before, 'Ben')).toBe('Ben changed the priority and due date of “Fix login”');
  });
});
