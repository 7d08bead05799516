import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, start, type RawClient } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let admin: { token: string; userId: string };
let member: { token: string; userId: string };
const clients: RawClient[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.tokenFor('lead@example.com', 'ADMIN');
  member = await stack.tokenFor('dev@example.com', 'MEMBER');
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await stack?.stop();
});

const EVENT_FIELDS = 'sequence type taskId assigneeId status actorId at changes { field from to } task { id title status version }';
const host = () => new URL(stack.graphqlUrl).host;

async function subscriber(token: string, query: string, variables: Record<string, unknown> = {}): Promise<RawClient> {
  const client = await connect(stack.realtimeUrl, { Authorization: token, host: host() });
  clients.push(client);
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  client.send(start('sub', query, { Authorization: token, host: host() }, variables));
  await client.next('start_ack');
  return client;
}

const dataOf = (client: RawClient, field: string) => client.messages.filter((m) => m.type === 'data').map((m) => m.payload.data[field]);

describe('Tasks stream -> SNS -> publisher -> publishTaskEvent (IAM) -> onTaskEvent', () => {
  it('a created and then updated task reaches the subscriber as two events, in order, with what changed', async () => {
    const client = await subscriber(member.token, `subscription { onTaskEvent(boardId: "main") { ${EVENT_FIELDS} } }`);
    const created = await stack.graphql('mutation { createTask(boardId: "main", input: { title: "Ship v1" }) { id } }', undefined, { authorization: admin.token });
    const id = created.body.data.createTask.id;
    await stack.graphql(`mutation { updateTask(boardId: "main", input: { id: "${id}", expectedVersion: 1, status: DONE }) { version } }`, undefined, { authorization: admin.token });
    await stack.fanOut.settled();
    await client.next('data');
    await client.next('data');

    const [first, second] = dataOf(client, 'onTaskEvent');
    expect(first).toMatchObject({ type: 'TASK_CREATED', taskId: id, actorId: admin.userId, status: 'TODO', task: { title: 'Ship v1', version: 1 } });
    expect(first.changes).toContainEqual({ field: 'title', from: null, to: '"Ship v1"' });
    expect(second).toMatchObject({ type: 'TASK_UPDATED', taskId: id, status: 'DONE', task: { version: 2 } });
    expect(second.changes).toEqual([{ field: 'status', from: '"TODO"', to: '"DONE"' }]);
    expect(second.sequence).toBeGreaterThan(first.sequence);
  });

  it('taskEvents(after) returns exactly what a client missed, oldest first', async () => {
    const all = await stack.graphql(`{ taskEvents(boardId: "main") { items { sequence type } lastSequence hasMore } }`, undefined, { authorization: member.token });
    const items = all.body.data.taskEvents.items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    const after = items[0].sequence;
    const missed = await stack.graphql(`{ taskEvents(boardId: "main", after: ${after}) { items { sequence } lastSequence } }`, undefined, { authorization: member.token });
    expect(missed.body.data.taskEvents.items.map((e: { sequence: number }) => e.sequence)).toEqual(items.slice(1).map((e: { sequence: number }) => e.sequence));
    expect(missed.body.data.taskEvents.lastSequence).toBe(items.at(-1).sequence);
  });

  it('events for one task arrive in order, and each exactly once', async () => {
    const created = await stack.graphql('mutation { createTask(boardId: "main", input: { title: "Busy" }) { id } }', undefined, { authorization: admin.token });
    const id = created.body.data.createTask.id;
    await stack.fanOut.settled(); // its TASK_CREATED event has gone out before the watcher starts
    const watcher = await subscriber(member.token, 'subscription ($t: ID) { onTaskEvent(boardId: "main", taskId: $t) { sequence task { version } } }', { t: id });
    for (let version = 1; version <= 15; version++) {
      await stack.graphql(`mutation { updateTask(boardId: "main", input: { id: "${id}", expectedVersion: ${version}, description: "v${version}" }) { version } }`, undefined, { authorization: admin.token });
    }
    await stack.fanOut.settled();
    for (let i = 0; i < 15; i++) await watcher.next('data');
    const versions = dataOf(watcher, 'onTaskEvent').map((e) => e.task.version);
    expect(versions).toEqual(Array.from({ length: 15 }, (_, i) => i + 2));
  });

  it('a subscriber handler that fails for a while is retried, and its event still arrives once', async () => {
    const client = await subscriber(member.token, 'subscription { onTaskEvent(boardId: "main") { sequence taskId } }');
    const url = process.env.GRAPHQL_URL!;
    process.env.GRAPHQL_URL = 'http://127.0.0.1:9/graphql'; // the publisher cannot reach AppSync
    const created = await stack.graphql('mutation { createTask(boardId: "main", input: { title: "Late" }) { id } }', undefined, { authorization: admin.token });
    setTimeout(() => (process.env.GRAPHQL_URL = url), 250);
    await stack.fanOut.settled();
    const event = await client.next('data', 10_000);
    expect(event.payload.data.onTaskEvent.taskId).toBe(created.body.data.createTask.id);
    await new Promise((r) => setTimeout(r, 200));
    expect(dataOf(client, 'onTaskEvent').filter((e) => e.taskId === created.body.data.createTask.id)).toHaveLength(1);
  });

  it('the assignee is notified in the app, live and in their list; the one who assigned is not', async () => {
    const client = await subscriber(member.token, 'subscription { onNotification { kind taskId message userId } }');
    const created = await stack.graphql(`mutation { createTask(boardId: "main", input: { title: "Review PR", assigneeId: "${member.userId}" }) { id } }`, undefined, { authorization: admin.token });
    await stack.fanOut.settled();
    const live = await client.next('data');
    expect(live.payload.data.onNotification).toEqual({ kind: 'ASSIGNED', taskId: created.body.data.createTask.id, message: 'lead assigned you "Review PR"', userId: member.userId });
    const listed = await stack.graphql('{ notifications { items { kind taskId } } }', undefined, { authorization: member.token });
    expect(listed.body.data.notifications.items[0]).toEqual({ kind: 'ASSIGNED', taskId: created.body.data.createTask.id });
    const adminList = await stack.graphql('{ notifications { items { kind } } }', undefined, { authorization: admin.token });
    expect(adminList.body.data.notifications.items).toEqual([]);
  });
});

describe('restarting the runtime mid-stream', () => {
  // Two stacks started one after the other and 20 writes: on a loaded two-core machine that passes 30 s.
  it('loses and duplicates no event', { timeout: 120_000 }, async () => {
    const own = await startTestStack();
    const token = (await own.tokenFor('restart@example.com', 'ADMIN')).token;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { body } = await own.graphql(`mutation { createTask(boardId: "main", input: { title: "r${i}" }) { id } }`, undefined, { authorization: token });
      ids.push(body.data.createTask.id);
    }
    // Stop at once: some changes are still in the stream, unprocessed.
    await own.halt();
    const again = await startTestStack({ resume: { dataDir: own.dataDir, config: own.config } });
    try {
      await again.fanOut.settled();
      const { body } = await again.graphql('{ taskEvents(boardId: "main", limit: 500) { items { sequence taskId type } } }', undefined, { authorization: token });
      const events = body.data.taskEvents.items.filter((e: { type: string }) => e.type === 'TASK_CREATED');
      expect(events.map((e: { taskId: string }) => e.taskId).sort()).toEqual([...ids].sort());
      const sequences = events.map((e: { sequence: number }) => e.sequence);
      expect(new Set(sequences).size).toBe(sequences.length);
      expect(sequences).toEqual([...sequences].sort((a: number, b: number) => a - b));
    } finally {
      await again.stop();
    }
  });
});
