import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { columnKey } from '../../rules/task-rules.ts';

// Reading is what this file is about: the tasks are written straight into the table in batches,
// with the index keys the API writes (the board, and the column: board and status).
const COUNT = 2500;
const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
const ASSIGNEES = ['u-a', 'u-b', 'u-c', 'u-d', 'u-e'];

let stack: TestStack;
let headers: Record<string, string>;
let tasks: { id: string; status: string; assigneeId: string; labels: string[]; dueDate: string; rank: string; createdAt: string }[];

beforeAll(async () => {
  stack = await startTestStack();
  headers = { authorization: (await stack.tokenFor('reader@example.com', 'MEMBER')).token };
  const next = seededRandom(42);
  const base = Date.parse('2026-01-01T00:00:00Z');
  tasks = Array.from({ length: COUNT }, (_, i) => ({
    id: `task-${String(i).padStart(5, '0')}`,
    status: STATUSES[Math.floor(next() * 4)],
    assigneeId: ASSIGNEES[Math.floor(next() * 5)],
    labels: next() < 0.3 ? ['bug'] : ['feature', `l${i % 7}`],
    dueDate: new Date(base + Math.floor(next() * 60) * 86_400_000).toISOString().slice(0, 10),
    rank: `V${Math.floor(next() * 1e9).toString(36)}V`,
    createdAt: new Date(base + i * 1000).toISOString(),
  }));
  const items: WriteRequest[] = tasks.map((t) => ({
    PutRequest: {
      Item: marshall({ ...t, board: 'main', column: columnKey('main', t.status), title: t.id, priority: 'MEDIUM', createdBy: 'seed', updatedBy: 'seed', updatedAt: t.createdAt, version: 1 }),
    },
  }));
  for (let i = 0; i < items.length; i += 25) {
    let batch: WriteRequest[] | undefined = items.slice(i, i + 25);
    while (batch?.length) {
      const out: { UnprocessedItems?: Record<string, WriteRequest[]> } = await stack.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [stack.tableName('Tasks')]: batch } }));
      batch = out.UnprocessedItems?.[stack.tableName('Tasks')];
    }
  }
}, 120_000);
afterAll(() => stack?.stop());

async function pageAll(filter: Record<string, unknown> | null, limit = 100) {
  const seen: { id: string; rank: string; dueDate: string }[] = [];
  let nextToken: string | null = null;
  let pages = 0;
  do {
    const { body } = await stack.graphql(
      'query ($f: TaskFilter, $l: Int, $n: String) { tasks(boardId: "main", filter: $f, limit: $l, nextToken: $n) { items { id rank dueDate } nextToken } }',
      { f: filter, l: limit, n: nextToken },
      headers,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.tasks.items.length).toBeLessThanOrEqual(limit);
    seen.push(...body.data.tasks.items);
    nextToken = body.data.tasks.nextToken;
    pages += 1;
  } while (nextToken);
  return { seen, pages };
}

const ids = (list: { id: string }[]) => list.map((t) => t.id);
const sorted = (list: string[]) => [...list].sort();

describe(`pagination over ${COUNT} tasks(boardId: "main")`, () => {
  it('the whole board: every task exactly once, newest first', async () => {
    const { seen, pages } = await pageAll(null);
    expect(pages).toBeLessThanOrEqual(COUNT / 100 + 1);
    expect(ids(seen)).toEqual(ids(tasks).reverse());
  });

  it('by status: the column exactly once each, in rank order', async () => {
    for (const status of STATUSES) {
      const { seen } = await pageAll({ status });
      const expected = tasks.filter((t) => t.status === status);
      expect(sorted(ids(seen))).toEqual(sorted(ids(expected)));
      expect(new Set(ids(seen)).size).toBe(seen.length);
      expect(seen.map((t) => t.rank)).toEqual(seen.map((t) => t.rank).sort());
    }
  });

  it('by assignee and status, by label, by due date: exactly the matching tasks, once each', async () => {
    const cases: [Record<string, unknown>, (t: (typeof tasks)[number]) => boolean][] = [
      [{ assigneeId: 'u-c' }, (t) => t.assigneeId === 'u-c'],
      [{ assigneeId: 'u-c', status: 'BLOCKED' }, (t) => t.assigneeId === 'u-c' && t.status === 'BLOCKED'],
      [{ label: 'bug' }, (t) => t.labels.includes('bug')],
      [{ status: 'TODO', label: 'l3' }, (t) => t.status === 'TODO' && t.labels.includes('l3')],
      [{ dueBefore: '2026-01-20' }, (t) => t.dueDate < '2026-01-20'],
      [{ dueBefore: '2026-02-01', label: 'bug', assigneeId: 'u-a' }, (t) => t.dueDate < '2026-02-01' && t.labels.includes('bug') && t.assigneeId === 'u-a'],
    ];
    for (const [filter, match] of cases) {
      const { seen } = await pageAll(filter);
      expect(sorted(ids(seen)), JSON.stringify(filter)).toEqual(sorted(ids(tasks.filter(match))));
      expect(new Set(ids(seen)).size).toBe(seen.length);
    }
    const { seen } = await pageAll({ dueBefore: '2026-01-20' });
    expect(seen.map((t) => t.dueDate)).toEqual(seen.map((t) => t.dueDate).sort());
  });

  it('myTasks pages through the caller\'s own tasks only', async () => {
    const { token, userId } = await stack.tokenFor('mine@example.com', 'MEMBER');
    const own = tasks.filter((_, i) => i % 50 === 0).map((t) => t.id);
    for (let i = 0; i < own.length; i += 25) {
      await stack.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [stack.tableName('Tasks')]: own.slice(i, i + 25).map((id) => {
              const t = tasks.find((x) => x.id === id)!;
              return { PutRequest: { Item: marshall({ ...t, assigneeId: userId, board: 'main', title: id, priority: 'LOW', createdBy: 's', updatedBy: 's', updatedAt: t.createdAt, version: 1 }) } };
            }),
          },
        }),
      );
    }
    const seen: string[] = [];
    let nextToken: string | null = null;
    do {
      const { body } = await stack.graphql('query ($n: String) { myTasks(limit: 7, nextToken: $n) { items { id assigneeId } nextToken } }', { n: nextToken }, { authorization: token });
      expect(body.data.myTasks.items.every((t: { assigneeId: string }) => t.assigneeId === userId)).toBe(true);
      seen.push(...ids(body.data.myTasks.items));
      nextToken = body.data.myTasks.nextToken;
    } while (nextToken);
    expect(seen).toEqual([...own].reverse());
  });
});
