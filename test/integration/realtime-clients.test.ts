/**
 * Real AppSync clients that nobody here wrote, against the local real-time endpoint, through the
 * whole fan-out (mutation -> table stream -> SNS -> publisher -> publishTaskEvent -> onTaskEvent):
 *
 * - Apollo Client 4 with aws-appsync-subscription-link 4 (ws://, `header-` subprotocol), in
 *   this process with `ws` as the global WebSocket;
 * - the Amplify JS v6 GraphQL client (always wss://, so it must trust the local certificate), in
 *   a child process started with NODE_EXTRA_CA_CERTS (test/helpers/clients/amplify-child.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link';
import type { Observable, Subscription } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAmplifyChild, type AmplifyChild } from '../helpers/clients/amplify.ts';
import { installGlobalWebSocket, Wire } from '../helpers/clients/wire.ts';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let admin: { token: string; userId: string };
let member: { token: string; userId: string };

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.tokenFor('lead@example.com', 'ADMIN');
  member = await stack.tokenFor('dev@example.com', 'MEMBER');
});
afterAll(async () => {
  await stack?.stop();
});

interface TaskEvent {
  sequence: number;
  type: 'TASK_CREATED' | 'TASK_UPDATED' | 'TASK_DELETED';
  taskId: string;
  status: string | null;
  task: { id: string; title: string; status: string; version: number } | null;
}
type OnTaskEvent = { onTaskEvent: TaskEvent | null };

const ON_TASK_EVENT = `subscription OnTaskEvent($taskId: ID, $type: TaskEventType) {
  onTaskEvent(boardId: "main", taskId: $taskId, type: $type) { sequence type taskId status task { id title status version } }
}`;
const CREATE_TASK = 'mutation CreateTask($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id title version } }';
const UPDATE_TASK = 'mutation UpdateTask($input: UpdateTaskInput!) { updateTask(boardId: "main", input: $input) { id status version } }';

/** Everything an observable emitted, with a way to wait for a value that has not come yet. */
function collect<T>(observable: Observable<T>) {
  const values: T[] = [];
  const waiters = new Set<() => void>();
  let failure: unknown;
  let completed = false;
  const wake = () => waiters.forEach((w) => w());
  const subscription: Subscription = observable.subscribe({
    next: (value) => {
      values.push(value);
      wake();
    },
    error: (error: unknown) => {
      failure = error;
      wake();
    },
    complete: () => {
      completed = true;
      wake();
    },
  });
  return {
    values,
    subscription,
    get completed() {
      return completed;
    },
    /** The first value that `match`es; rejects when the observable errors or after `timeoutMs`. */
    until(match: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = values.find(match);
          if (found === undefined && failure === undefined) return;
          waiters.delete(look);
          clearTimeout(timer);
          if (found !== undefined) resolve(found);
          else reject(failure instanceof Error ? failure : new Error(JSON.stringify(failure)));
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`nothing matched within ${timeoutMs} ms; got ${JSON.stringify(values)}`));
        }, timeoutMs);
        waiters.add(look);
        look();
      });
    },
  };
}

describe('Apollo Client 4 + aws-appsync-subscription-link 4.x', () => {
  const wire = new Wire();
  let restoreWebSocket: () => void;
  const clients: ApolloClient[] = [];
  const subscriptions: Subscription[] = [];

  beforeAll(() => {
    // The link calls `new WebSocket(url, protocols)` and reads `WebSocket.OPEN` from the global scope.
    // `ca` matters only for wss:// (an https:// endpoint): the port's self-signed certificate.
    restoreWebSocket = installGlobalWebSocket(wire.webSocketClass({ ca: readFileSync(stack.certificateFile) }));
  });
  afterAll(async () => {
    subscriptions.forEach((s) => s.unsubscribe());
    // The link closes its socket a second after the last unsubscribe; wait for that (or end it).
    await wire.closed();
    clients.forEach((c) => c.stop());
    restoreWebSocket?.();
  });
  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.log(`wire of "${context.task.name}":\n${wire.describe()}`);
  });

  /** An ApolloClient as the link is meant to be used: subscriptions over its real-time link, the rest over `httpLink`. */
  function apollo(auth: { type: 'AWS_LAMBDA'; token: string } | { type: 'API_KEY'; apiKey: string }, url = stack.graphqlUrl) {
    // Queries and mutations go over HTTP with the same Lambda token (the raw token in `Authorization`).
    const httpLink = new HttpLink({ uri: url, headers: { Authorization: 'token' in auth ? auth.token : admin.token } });
    // The link's declarations (lib/index.d.ts, CommonJS, for `import` too) name Apollo's CommonJS
    // types; at run time it gets the same ESM Apollo as this file. Only the types need the bridge.
    type LinkOfTheirTypes = Parameters<typeof createSubscriptionHandshakeLink>[1];
    const link = createSubscriptionHandshakeLink({ url, region: 'us-east-1', auth }, httpLink as unknown as LinkOfTheirTypes) as unknown as ApolloLink;
    const client = new ApolloClient({ link, cache: new InMemoryCache() });
    clients.push(client);
    return client;
  }

  /** Subscribes through `client` and waits until the server acknowledged (or refused) the start. */
  async function subscribe(client: ApolloClient, variables: { taskId?: string; type?: string } = {}) {
    const from = wire.messages.length;
    const collected = collect(client.subscribe({ query: gql(ON_TASK_EVENT) as TypedDocumentNode<OnTaskEvent>, variables }));
    subscriptions.push(collected.subscription);
    const handshake = await wire.started(from);
    return { ...collected, handshake };
  }

  it('receives TASK_CREATED and then TASK_UPDATED for tasks changed through Apollo mutations', async () => {
    // The admin's client: only admins create tasks.
    const client = apollo({ type: 'AWS_LAMBDA', token: admin.token });
    const events = await subscribe(client);
    expect(events.handshake.answer).toEqual({ type: 'start_ack', id: events.handshake.start.id });
    // What the link sent: AppSync's handshake, the token in the `header-` subprotocol, over ws:// to <endpoint>/realtime.
    const socket = wire.sockets.at(-1)!;
    expect(socket.url).toBe(`${stack.graphqlUrl.replace('http://', 'ws://')}/realtime`);
    expect(socket.protocols[0]).toBe('graphql-ws');
    expect(socket.protocols[1]).toMatch(/^header-[A-Za-z0-9_-]+$/);
    expect(events.handshake.start.payload.extensions.authorization).toMatchObject({ Authorization: admin.token, host: new URL(stack.graphqlUrl).host });

    const created = await client.mutate({ mutation: gql(CREATE_TASK), variables: { input: { title: 'Apollo task' } } });
    const id = (created.data as { createTask: { id: string } }).createTask.id;
    await stack.fanOut.settled();
    const first = await events.until((r) => r.data?.onTaskEvent?.taskId === id);
    expect(first.error).toBeUndefined();
    expect(first.data!.onTaskEvent).toMatchObject({ type: 'TASK_CREATED', taskId: id, status: 'TODO', task: { id, title: 'Apollo task', version: 1, __typename: 'Task' } });

    await client.mutate({ mutation: gql(UPDATE_TASK), variables: { input: { id, expectedVersion: 1, status: 'IN_PROGRESS' } } });
    await stack.fanOut.settled();
    const second = await events.until((r) => r.data?.onTaskEvent?.type === 'TASK_UPDATED' && r.data.onTaskEvent.taskId === id);
    expect(second.data!.onTaskEvent).toMatchObject({ taskId: id, status: 'IN_PROGRESS', task: { version: 2 } });
    expect(second.data!.onTaskEvent!.sequence).toBeGreaterThan(first.data!.onTaskEvent!.sequence);
  });

  it('an argument-filtered subscription on the same socket receives only its task', async () => {
    const client = apollo({ type: 'AWS_LAMBDA', token: member.token });
    const watched = (await stack.graphql(CREATE_TASK, { input: { title: 'Watched' } }, { Authorization: admin.token })).body.data.createTask.id as string;
    await stack.fanOut.settled(); // its TASK_CREATED went out before anyone listens
    const all = await subscribe(client);
    const only = await subscribe(client, { taskId: watched });
    const createdOnly = await subscribe(client, { taskId: watched, type: 'TASK_CREATED' });
    for (const s of [all, only, createdOnly]) expect(s.handshake.answer.type).toBe('start_ack');
    expect(new Set(wire.messages.filter((m) => m.message?.type === 'start').slice(-3).map((m) => m.socket)).size).toBe(1);

    const other = (await stack.graphql(CREATE_TASK, { input: { title: 'Other' } }, { Authorization: admin.token })).body.data.createTask.id as string;
    await stack.graphql(UPDATE_TASK, { input: { id: other, expectedVersion: 1, title: 'Other, renamed' } }, { Authorization: admin.token });
    await stack.graphql(UPDATE_TASK, { input: { id: watched, expectedVersion: 1, status: 'DONE' } }, { Authorization: admin.token });
    await stack.fanOut.settled();

    const watchedUpdate = await only.until((r) => r.data?.onTaskEvent?.type === 'TASK_UPDATED');
    expect(watchedUpdate.data!.onTaskEvent).toMatchObject({ taskId: watched, status: 'DONE' });
    // The unfiltered subscription saw all three events, so every delivery has happened by now.
    await all.until((r) => r.data?.onTaskEvent?.taskId === watched && r.data.onTaskEvent.type === 'TASK_UPDATED');
    expect(all.values.map((r) => r.data?.onTaskEvent?.taskId)).toEqual([other, other, watched]);
    expect(only.values.map((r) => r.data?.onTaskEvent?.taskId)).toEqual([watched]);
    expect(createdOnly.values).toEqual([]);
  });

  it('API_KEY: onTaskEvent does not allow it, and the client surfaces the Unauthorized error instead of hanging', async () => {
    const client = apollo({ type: 'API_KEY', apiKey: stack.apiKey });
    const refused = await subscribe(client);
    // The connection itself is fine (API_KEY is one of the API's modes); the field is not open to it.
    expect(refused.handshake.answer).toMatchObject({ type: 'error', id: refused.handshake.start.id, payload: { errors: [{ errorType: 'Unauthorized' }] } });
    const result = await refused.until((r) => r.error !== undefined, 5_000);
    expect(result.data).toBeUndefined();
    expect(errorText(result.error)).toContain('Unauthorized');
    await expect.poll(() => refused.completed).toBe(true);
  });

  it('a token the authorizer refuses fails the connection, and the client surfaces it instead of retrying forever', async () => {
    const client = apollo({ type: 'AWS_LAMBDA', token: 'not-a-session-token' });
    const [sockets, from] = [wire.sockets.length, wire.messages.length];
    const refused = await subscribe(client);
    expect(refused.handshake.start).toBeUndefined();
    expect(refused.handshake.answer).toMatchObject({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] } });
    const result = await refused.until((r) => r.error !== undefined, 5_000);
    expect(errorText(result.error)).toContain('UnauthorizedException');
    // The client heard it as the answer to its connection_init, so it did not retry (401 is final to it).
    expect(wire.messages.slice(from).map((m) => `${m.dir} ${m.message?.type}`)).toEqual(['out connection_init', 'in connection_error']);
    expect(wire.sockets.length - sockets).toBe(1);
  });

  it('over wss:// (an https:// endpoint): the same port answers TLS with the local certificate', async () => {
    const httpsUrl = stack.graphqlUrl.replace('http://', 'https://');
    const client = apollo({ type: 'AWS_LAMBDA', token: member.token }, httpsUrl);
    const events = await subscribe(client);
    expect(events.handshake.answer.type).toBe('start_ack');
    expect(wire.sockets.at(-1)!.url).toBe(`${httpsUrl.replace('https://', 'wss://')}/realtime`);
    const id = (await stack.graphql(CREATE_TASK, { input: { title: 'Over TLS' } }, { Authorization: admin.token })).body.data.createTask.id as string;
    await stack.fanOut.settled();
    const event = await events.until((r) => r.data?.onTaskEvent?.taskId === id);
    expect(event.data!.onTaskEvent).toMatchObject({ type: 'TASK_CREATED', task: { title: 'Over TLS' } });
  });
});

/** An Apollo error's text, including what the link put in an `UnconventionalError`'s cause. */
function errorText(error: unknown): string {
  return JSON.stringify(error, (_, value: unknown) => (value instanceof Error ? { ...value, message: value.message, cause: value.cause } : value));
}

const amplifyInstalled = existsSync(path.join(projectRoot, 'node_modules/aws-amplify/package.json'));
if (!amplifyInstalled) {
  console.log('realtime-clients: SKIPPING the Amplify v6 tests: aws-amplify is not installed (npm install --save-dev aws-amplify@^6).');
}

describe('Amplify JS v6 GraphQL client (generateClient) over wss://', () => {
  const children: AmplifyChild[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
  });
  afterEach((context) => {
    if (context.task.result?.state === 'fail') for (const c of children) console.log(`amplify child output:\n${c.describe()}`);
  });

  it.skipIf(!amplifyInstalled)('receives TASK_CREATED and TASK_UPDATED, and a taskId-filtered subscription only its task', async () => {
    const watched = (await stack.graphql(CREATE_TASK, { input: { title: 'Amplify watched' } }, { Authorization: admin.token })).body.data.createTask.id as string;
    await stack.fanOut.settled();
    const child = startAmplifyChild({
      graphqlUrl: stack.graphqlUrl,
      certificateFile: stack.certificateFile,
      subscriptions: [
        { name: 'all', query: ON_TASK_EVENT, variables: {}, authToken: member.token },
        { name: 'watched', query: ON_TASK_EVENT, variables: { taskId: watched }, authToken: member.token },
      ],
    });
    children.push(child);
    const ready = await child.next((line) => line.kind === 'ready' || line.kind === 'fatal', 20_000);
    expect(ready).toMatchObject({ kind: 'ready' });
    expect(child.lines.filter((l) => l.kind === 'ack').map((l) => l.name)).toEqual(['all', 'watched']);
    // Amplify turns the http:// endpoint into wss://<same host:port>/graphql/realtime.
    const socket = child.lines.find((l) => l.kind === 'socket')!;
    expect(socket.url).toBe(`${stack.graphqlUrl.replace('http://', 'wss://')}/realtime`);
    expect(socket.protocols).toEqual(['graphql-ws', 'header-<base64url: Authorization,host>']);

    const created = await stack.graphql(CREATE_TASK, { input: { title: 'Amplify task' } }, { Authorization: admin.token });
    const id = created.body.data.createTask.id as string;
    await stack.graphql(UPDATE_TASK, { input: { id, expectedVersion: 1, status: 'BLOCKED' } }, { Authorization: admin.token });
    await stack.graphql(UPDATE_TASK, { input: { id: watched, expectedVersion: 1, status: 'DONE' } }, { Authorization: admin.token });
    await stack.fanOut.settled();

    await child.next((l) => l.kind === 'data' && l.name === 'all' && l.data?.onTaskEvent?.taskId === watched, 10_000);
    const events = (name: string) => child.lines.filter((l) => l.kind === 'data' && l.name === name).map((l) => l.data.onTaskEvent as TaskEvent);
    expect(events('all').map((e) => [e.type, e.taskId])).toEqual([
      ['TASK_CREATED', id],
      ['TASK_UPDATED', id],
      ['TASK_UPDATED', watched],
    ]);
    expect(events('all')[0]).toMatchObject({ status: 'TODO', task: { id, title: 'Amplify task', version: 1 } });
    expect(events('all')[1]).toMatchObject({ status: 'BLOCKED', task: { version: 2 } });
    expect(events('watched')).toEqual([expect.objectContaining({ type: 'TASK_UPDATED', taskId: watched, status: 'DONE' })]);
    expect(child.lines.filter((l) => l.kind === 'error')).toEqual([]);

    expect(await child.stop()).toBe(0);
  });

  it.skipIf(!amplifyInstalled)('a token the authorizer refuses: the subscription errors with UnauthorizedException', async () => {
    const child = startAmplifyChild({
      graphqlUrl: stack.graphqlUrl,
      certificateFile: stack.certificateFile,
      subscriptions: [{ name: 'refused', query: ON_TASK_EVENT, variables: {}, authToken: 'not-a-session-token' }],
    });
    children.push(child);
    const error = await child.next((l) => (l.kind === 'error' && l.name === 'refused') || l.kind === 'fatal', 20_000);
    expect(error.kind).toBe('error');
    expect(JSON.stringify(error.error)).toMatch(/Unauthorized/);
    expect(await child.stop()).toBe(0);
  });
});
