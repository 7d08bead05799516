import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTaskEventFeed, type FeedState, type TaskEventSource } from '../../frontend/src/data/task-event-feed.ts';
import { connect, start } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('feed@example.com', 'ADMIN')).token;
});
afterAll(() => stack?.stop());

interface Event {
  sequence: number;
  taskId: string;
  type: string;
}

/** The feed's source over raw WebSockets and HTTP, as a third-party client would build it. */
const source: TaskEventSource<Event> = {
  subscribe({ onEvent, onReady, onDown }) {
    const auth = { Authorization: token, host: new URL(stack.graphqlUrl).host };
    let closed = false;
    const opening = connect(stack.realtimeUrl, auth).then((client) => {
      client.ws.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        if (message.type === 'start_ack') onReady();
        if (message.type === 'data') onEvent(message.payload.data.onTaskEvent);
        if (message.type === 'error') onDown(message.payload);
      });
      client.closed.then(() => onDown('closed'));
      if (closed) client.close();
      client.send({ type: 'connection_init' });
      client.send(start('feed', 'subscription { onTaskEvent(boardId: "main") { sequence taskId type } }', auth));
      return client;
    }, onDown);
    return () => {
      closed = true;
      void opening.then((client) => client?.close());
    };
  },
  async fetchAfter(after) {
    const { body } = await stack.graphql('query ($a: Int) { taskEvents(boardId: "main", after: $a, limit: 3) { items { sequence taskId type } lastSequence hasMore } }', { a: after }, { authorization: token });
    return body.data.taskEvents;
  },
};

const createTasks = async (titles: string[]) => {
  const ids: string[] = [];
  for (const title of titles) {
    const { body } = await stack.graphql('mutation ($t: String!) { createTask(boardId: "main", input: { title: $t }) { id } }', { t: title }, { authorization: token });
    ids.push(body.data.createTask.id);
  }
  await stack.fanOut.settled();
  return ids;
};

const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

it('catches up on what happened before it started and while it was cut off: every event once, in order', async () => {
  const before = await createTasks(['a1', 'a2', 'a3', 'a4']);
  const received: Event[] = [];
  const states: FeedState[] = [];
  const feed = startTaskEventFeed({ source, onEvent: (e) => received.push(e), onState: (s) => states.push(s), retryDelayMs: () => 50 });
  try {
    await until(() => states.at(-1) === 'live');
    expect(received.map((e) => e.taskId)).toEqual(before); // caught up in pages of 3

    const live = await createTasks(['b1', 'b2']);
    await until(() => received.length === 6);

    expect(stack.dropConnections()).toBeGreaterThan(0);
    await until(() => states.includes('reconnecting'));
    const whileAway = await createTasks(['c1', 'c2', 'c3']);
    await until(() => received.length === 9 && states.at(-1) === 'live');

    expect(received.map((e) => e.taskId)).toEqual([...before, ...live, ...whileAway]);
    const sequences = received.map((e) => e.sequence);
    expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
    expect(feed.lastSequence()).toBe(sequences.at(-1));
    expect(states.slice(0, 3)).toEqual(['connecting', 'catching-up', 'live']);
  } finally {
    feed.stop();
  }
});
