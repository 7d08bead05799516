import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersOf, figuresOf } from '../../rules/board-figures.ts';
import type { TaskRecord } from '../../functions/shared/task-event.ts';
import { connect, start, type RawClient } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

let stack: TestStack;
let admin: { token: string; userId: string };
let members: { token: string; userId: string }[];

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.tokenFor('lead@example.com', 'ADMIN');
  members = await Promise.all([1, 2, 3].map((i) => stack.tokenFor(`m${i}@example.com`, 'MEMBER')));
});
afterAll(() => stack?.stop());

const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

async function gql(token: string, query: string, variables?: Record<string, unknown>) {
  const { body } = await stack.graphql(query, variables, { authorization: token });
  return body;
}

async function recount() {
  const tasks: TaskRecord[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName('Tasks'), ExclusiveStartKey: start, ConsistentRead: true }));
    tasks.push(...(page.Items ?? []).map((i) => unmarshall(i) as TaskRecord));
    start = page.LastEvaluatedKey;
  } while (start);
  return figuresOf(countersOf(tasks), Date.now());
}

describe('boardStats', () => {
  it('equals a recount from the Tasks table after a random sequence of operations (seed 7)', async () => {
    const next = seededRandom(7);
    const pick = <T,>(list: T[]) => list[Math.floor(next() * list.length)];
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const live: { id: string; version: number; assigneeId: string | null }[] = [];
    for (let step = 0; step < 120; step++) {
      const roll = next();
      if (live.length < 5 || roll < 0.35) {
        const assignee = next() < 0.7 ? pick(members).userId : null;
        const input = { title: `t${step}`, status: pick(STATUSES), priority: pick(PRIORITIES), assigneeId: assignee, dueDate: next() < 0.6 ? day(Math.floor(next() * 20) - 10) : null };
        const body = await gql(admin.token, 'mutation ($i: CreateTaskInput!) { createTask(boardId: "main", input: $i) { id version assigneeId } }', { i: input });
        live.push(body.data.createTask);
      } else if (roll < 0.6) {
        const task = pick(live);
        const change: Record<string, unknown> = next() < 0.5 ? { status: pick(STATUSES) } : { priority: pick(PRIORITIES) };
        if (next() < 0.3) change.assigneeId = next() < 0.8 ? pick(members).userId : null;
        if (next() < 0.3) change.dueDate = next() < 0.8 ? day(Math.floor(next() * 20) - 10) : null;
        const body = await gql(admin.token, 'mutation ($i: UpdateTaskInput!) { updateTask(boardId: "main", input: $i) { version assigneeId } }', { i: { id: task.id, expectedVersion: task.version, ...change } });
        Object.assign(task, body.data.updateTask);
      } else if (roll < 0.75) {
        // A member works on their own task.
        const own = live.filter((t) => t.assigneeId && members.some((m) => m.userId === t.assigneeId));
        if (!own.length) continue;
        const task = pick(own);
        const member = members.find((m) => m.userId === task.assigneeId)!;
        const body = await gql(member.token, 'mutation ($i: UpdateTaskInput!) { updateTask(boardId: "main", input: $i) { version } }', { i: { id: task.id, expectedVersion: task.version, status: pick(STATUSES) } });
        task.version = body.data.updateTask.version;
      } else if (roll < 0.9) {
        const chosen = [...new Set(Array.from({ length: 3 }, () => pick(live)))];
        const body = await gql(admin.token, 'mutation ($m: [TaskMoveInput!]!) { moveTasks(boardId: "main", moves: $m) { id version } }', {
          m: chosen.map((t) => ({ id: t.id, expectedVersion: t.version, status: pick(STATUSES) })),
        });
        for (const moved of body.data.moveTasks) live.find((t) => t.id === moved.id)!.version = moved.version;
      } else {
        const task = live.splice(Math.floor(next() * live.length), 1)[0];
        const body = await gql(admin.token, `mutation { deleteTask(boardId: "main", id: "${task.id}", expectedVersion: ${task.version}) { id } }`);
        expect(body.errors).toBeUndefined();
      }
    }
    await stack.fanOut.settled();
    const { data, errors } = await gql(members[0].token, `{ boardStats(boardId: "main") { total overdue updatedAt byStatus { status count } byPriority { priority count }
      openByAssignee { assigneeId count } completedPerDay { day count } } }`);
    expect(errors).toBeUndefined();
    const expected = await recount();
    const { updatedAt, ...figures } = data.boardStats;
    const { updatedAt: _u, ...recounted } = expected;
    expect(figures).toEqual(recounted);
    expect(figures.total).toBe(live.length);
    expect(figures.completedPerDay.at(-1).count).toBeGreaterThan(0);
    expect(updatedAt).toBeTruthy();
  }, 120_000);

  it('applies each stream record once, however often it is delivered', async () => {
    const read = async () => {
      const { Item } = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('BoardStats'), Key: { id: { S: 'main' } }, ConsistentRead: true }));
      return unmarshall(Item!);
    };
    const before = await read();
    const task = { id: 'synthetic', title: 's', status: 'BLOCKED', priority: 'URGENT', labels: [], createdBy: 'x', createdAt: 'x', updatedBy: 'x', updatedAt: 'x', version: 1 };
    const event = { Records: [{ eventID: 'replayed-record-1', eventName: 'INSERT', dynamodb: { NewImage: marshall(task) } }] };
    await stack.api.invokeFunction('boardStats', event);
    await stack.api.invokeFunction('boardStats', event);
    const after = await read();
    expect(after.s_BLOCKED).toBe((before.s_BLOCKED ?? 0) + 1);
    expect(after.p_URGENT).toBe((before.p_URGENT ?? 0) + 1);
    expect(after.total).toBe(before.total + 1);
  });
});

describe('onBoardStats over a real WebSocket', () => {
  it('a dashboard subscribed with a member token receives the new figures when a task changes', async () => {
    const host = new URL(stack.graphqlUrl).host;
    const dashboard: RawClient = await connect(stack.realtimeUrl, { Authorization: members[0].token, host });
    try {
      dashboard.send({ type: 'connection_init' });
      await dashboard.next('connection_ack');
      dashboard.send(start('stats', 'subscription { onBoardStats(boardId: "main") { total byStatus { status count } } }', { Authorization: members[0].token, host }));
      await dashboard.next('start_ack');
      const before = (await gql(admin.token, '{ boardStats(boardId: "main") { total } }')).data.boardStats.total;

      await gql(admin.token, 'mutation { createTask(boardId: "main", input: { title: "Counted live", status: BLOCKED }) { id } }');
      await stack.fanOut.settled();
      const pushed = await dashboard.next('data', 10_000);
      const figures = pushed.payload.data.onBoardStats;
      expect(figures.total).toBe(before + 1);
      expect(figures.byStatus.find((s: { status: string }) => s.status === 'BLOCKED').count).toBeGreaterThan(0);
      expect(figures).toEqual(expect.objectContaining({ total: (await gql(admin.token, '{ boardStats(boardId: "main") { total } }')).data.boardStats.total }));
    } finally {
      dashboard.close();
    }
  });
});
