/**
 * The task rules (rules/): the one copy the resolvers, the functions and the web app import.
 * What a person notices: cards land where they were dropped, limits are the same everywhere,
 * history lists exactly what changed, and the dashboard counts what the board holds.
 */
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  boardKeyProblem,
  bottomRank,
  commentBodyProblem,
  compareRanks,
  completedAtAfter,
  fieldChanges,
  rankBetween,
  rankProblem,
  taskFieldsProblem,
  taskKey,
} from '../../rules/task-rules.ts';
import { contribution, countersOf, delta, figuresOf, isPrunable, sumOf, utcDay } from '../../rules/board-figures.ts';

describe('ranks', () => {
  it('give the shortest rank strictly between two neighbours, never ending in 0', () => {
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

  it('keep finding room when cards are dropped at the same place a hundred times', () => {
    let below = 'V';
    for (let i = 0; i < 100; i++) {
      const rank = rankBetween('U', below)!;
      expect(rank > 'U' && rank < below).toBe(true);
      below = rank;
    }
  });

  it('say why there is no rank: out of order, not a rank, or adjacent', () => {
    expect(rankProblem('b', 'a')?.message).toMatch(/above/);
    expect(rankProblem('a!', undefined)?.message).toMatch(/not a rank/);
    expect(rankProblem(undefined, 'x'.repeat(LIMITS.rank + 1))?.message).toMatch(/not a rank/);
    expect(rankProblem('V', 'V0')?.message).toMatch(/no room/);
    expect(rankBetween('V', 'V0')).toBeNull();
    expect(rankProblem('A', 'B')).toBeNull();
  });

  it('put new cards at the bottom in creation order', () => {
    const first = bottomRank(Date.UTC(2026, 0, 1));
    const second = bottomRank(Date.UTC(2026, 0, 1) + 1);
    expect(first < second).toBe(true);
    expect(first > 'x').toBe(true);
    expect(rankBetween(first, undefined)).not.toBeNull();
  });

  it('sort cards without a rank last', () => {
    expect(['b', null, 'a'].sort(compareRanks)).toEqual(['a', 'b', null]);
  });
});

describe('task fields', () => {
  it('hold every limit the API promises', () => {
    expect(taskFieldsProblem({ title: '  ' }, true)?.field).toBe('title');
    expect(taskFieldsProblem({}, true)?.field).toBe('title');
    expect(taskFieldsProblem({}, false)).toBeNull();
    expect(taskFieldsProblem({ title: 'x'.repeat(LIMITS.title) }, true)).toBeNull();
    expect(taskFieldsProblem({ title: 'x'.repeat(LIMITS.title + 1) }, true)?.field).toBe('title');
    expect(taskFieldsProblem({ description: 'x'.repeat(LIMITS.description + 1) }, false)?.field).toBe('description');
    expect(taskFieldsProblem({ labels: Array.from({ length: LIMITS.labels + 1 }, (_, i) => `l${i}`) }, false)?.message).toMatch(/at most 10/);
    expect(taskFieldsProblem({ labels: ['ok', ' '] }, false)?.field).toBe('labels');
    expect(taskFieldsProblem({ labels: ['x'.repeat(LIMITS.label + 1)] }, false)?.field).toBe('labels');
    expect(taskFieldsProblem({ assigneeId: '' }, false)?.field).toBe('assigneeId');
    expect(taskFieldsProblem({ assigneeId: null }, false)).toBeNull();
  });

  it('keep comments between 1 and 5,000 characters after trimming', () => {
    expect(commentBodyProblem('   ')?.field).toBe('body');
    expect(commentBodyProblem('x'.repeat(LIMITS.comment))).toBeNull();
    expect(commentBodyProblem(` ${'x'.repeat(LIMITS.comment)} `)).toBeNull();
    expect(commentBodyProblem('x'.repeat(LIMITS.comment + 1))).not.toBeNull();
  });

  it('list exactly the fields that changed between two versions, as JSON', () => {
    const before = { id: 't', title: 'A', status: 'TODO', labels: ['x'], version: 1, updatedAt: '1' };
    const after = { id: 't', title: 'A', status: 'DONE', labels: ['x', 'y'], assigneeId: 'u', version: 2, updatedAt: '2' };
    expect(fieldChanges(before, after)).toEqual([
      { field: 'status', from: '"TODO"', to: '"DONE"' },
      { field: 'assigneeId', from: null, to: '"u"' },
      { field: 'labels', from: '["x"]', to: '["x","y"]' },
    ]);
    expect(fieldChanges(null, { title: 'New' })).toEqual([{ field: 'title', from: null, to: '"New"' }]);
    expect(fieldChanges({ title: 'Gone' }, null)).toEqual([{ field: 'title', from: '"Gone"', to: null }]);
  });

  it('set completedAt when a task becomes DONE and clear it when it leaves DONE', () => {
    expect(completedAtAfter('TODO', 'DONE', 'now')).toBe('now');
    expect(completedAtAfter('DONE', 'TODO', 'now')).toBeNull();
    expect(completedAtAfter('TODO', 'BLOCKED', 'now')).toBeUndefined();
    expect(completedAtAfter('DONE', 'DONE', 'now')).toBeUndefined();
  });
});

describe('boards', () => {
  it('accept short capital keys and number tasks under them', () => {
    expect(boardKeyProblem('OPS')).toBeNull();
    expect(boardKeyProblem('WEB2')).toBeNull();
    for (const bad of ['O', 'ops', '2OPS', 'OPS-1', 'ABCDEFGHIJK', '']) expect(boardKeyProblem(bad)?.field).toBe('key');
    expect(taskKey('OPS', 42)).toBe('OPS-42');
  });
});

describe('board figures', () => {
  const now = Date.UTC(2026, 2, 15, 12);
  const tasks = [
    { status: 'TODO', priority: 'HIGH', assigneeId: 'ana', dueDate: '2026-03-10' },
    { status: 'TODO', priority: 'LOW', dueDate: '2026-03-20' },
    { status: 'IN_PROGRESS', priority: 'HIGH', assigneeId: 'ana' },
    { status: 'DONE', priority: 'URGENT', assigneeId: 'ben', dueDate: '2026-03-01', completedAt: '2026-03-15T09:00:00.000Z' },
    { status: 'DONE', priority: 'LOW', completedAt: '2026-02-01T09:00:00.000Z' },
  ];

  it('count a board as people read it: per status, priority, open per person, overdue, done per day', () => {
    const figures = figuresOf({ ...countersOf(tasks), updatedAt: '2026-03-15T12:00:00.000Z' }, now);
    expect(figures.total).toBe(5);
    expect(figures.byStatus).toEqual([
      { status: 'TODO', count: 2 },
      { status: 'IN_PROGRESS', count: 1 },
      { status: 'BLOCKED', count: 0 },
      { status: 'DONE', count: 2 },
    ]);
    expect(figures.byPriority.find((p) => p.priority === 'HIGH')!.count).toBe(2);
    // The DONE task due in the past is not overdue; the open one due on the 10th is.
    expect(figures.overdue).toBe(1);
    expect(figures.openByAssignee).toEqual([{ assigneeId: 'ana', count: 2 }]);
    expect(figures.completedPerDay).toHaveLength(14);
    expect(figures.completedPerDay[13]).toEqual({ day: '2026-03-15', count: 1 });
    expect(figures.completedPerDay[0].day).toBe('2026-03-02');
    expect(figures.updatedAt).toBe('2026-03-15T12:00:00.000Z');
  });

  it('follow a task through its changes to the same counters as a recount', () => {
    const v1 = { status: 'TODO', priority: 'LOW', assigneeId: 'ana', dueDate: '2026-03-10' };
    const v2 = { ...v1, status: 'DONE', completedAt: '2026-03-15T01:00:00.000Z' };
    const v3 = { ...v2, status: 'BLOCKED', completedAt: undefined, assigneeId: 'ben' };
    const followed = sumOf([delta(undefined, v1), delta(v1, v2), delta(v2, v3)]);
    expect(followed).toEqual(countersOf([v3]));
    expect(sumOf([followed, delta(v3, undefined)])).toEqual({});
    expect(delta(v1, v1)).toEqual({});
    expect(contribution(v2)).toEqual({ total: 1, s_DONE: 1, p_LOW: 1, 'c_2026-03-15': 1 });
  });

  it('drop only per-person and per-due-day counters at zero', () => {
    expect(isPrunable('a_ana')).toBe(true);
    expect(isPrunable('d_2026-03-10')).toBe(true);
    expect(isPrunable('s_TODO')).toBe(false);
    expect(isPrunable('c_2026-03-10')).toBe(false);
  });

  it('tell UTC days as Date does, across leap years and centuries', () => {
    const instants = [0, Date.UTC(2000, 1, 29), Date.UTC(1900, 2, 1), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2100, 0, 1)];
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 86_400_000 * 7 + 3_600_000) instants.push(ms);
    for (const ms of instants) expect(utcDay(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
  });
});
