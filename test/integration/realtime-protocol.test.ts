import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { connect, iamCredentials, signedHeaders, start, type RawClient } from '../helpers/realtime.ts';
import { underLoad } from '../helpers/load.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let credentials: LocalCredentials;
let host: string;
let member: { token: string; userId: string };
const clients: RawClient[] = [];

beforeAll(async () => {
  // The server drops a client that has not answered the last ping by the next: on a loaded machine
  // a pong can take longer than a quiet machine's 200 ms, and a live client was dropped.
  stack = await startTestStack({ realtime: { keepAliveMs: 150, maxSubscriptionsPerConnection: 3, maxMessageBytes: 4096, heartbeatMs: underLoad(1_000) } });
  credentials = await iamCredentials(stack.dataDir);
  host = new URL(stack.graphqlUrl).host;
  member = await stack.tokenFor('member@example.com', 'MEMBER');
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await stack?.stop();
});

const lambda = (token: string) => ({ Authorization: token, host });
const apiKey = () => ({ host, 'x-amz-date': '20261120T000000Z', 'x-api-key': stack.apiKey });

async function open(headers: Record<string, string>, via: 'subprotocol' | 'query' = 'subprotocol'): Promise<RawClient> {
  const client = await connect(stack.realtimeUrl, headers, via);
  clients.push(client);
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  return client;
}

const ON_EVENT = 'subscription ($taskId: ID) { onTaskEvent(boardId: "main", taskId: $taskId) { sequence taskId type actorId } }';
let sequence = 1000;

/** Publishes a task event the way the fan-out does: publishTaskEvent over HTTP with IAM. */
async function publish(taskId: string, selection = 'sequence taskId type') {
  const body = JSON.stringify({
    query: `mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { boardId ${selection} } }`,
    variables: { e: { boardId: 'main', sequence: (sequence += 1), type: 'TASK_UPDATED', taskId, changes: [], actorId: 'someone', at: '2026-11-20T10:00:00Z' } },
  });
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body });
  expect(response.status).toBe(200);
  return sequence;
}

describe('connection', () => {
  it('acknowledges connection_init with connectionTimeoutMs, then keeps the connection alive with ka', async () => {
    const client = await connect(stack.realtimeUrl, lambda(member.token));
    clients.push(client);
    expect(client.ws.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    expect(await client.next('connection_ack')).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    await client.next('ka');
    await client.next('ka', 1000);
    await client.next('ka', 1000);
  });

  it.each(['subprotocol', 'query'] as const)('takes the auth header from the %s', async (via) => {
    const client = await open(apiKey(), via);
    expect(client.messages[0].type).toBe('connection_ack');
  });

  it.each([
    ['no header at all', undefined],
    ['a wrong API key', { host, 'x-api-key': 'da2-notakeyatall' }],
    ['a forged token', { host, Authorization: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln' }],
    ['a tampered IAM signature', { host, Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAFAKE/20261120/us-east-1/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', 'x-amz-date': '20261120T000000Z' }],
  ])('refuses %s with connection_error and closes', async (_, headers) => {
    const client = await connect(stack.realtimeUrl, headers as Record<string, string> | undefined);
    clients.push(client);
    const error = await client.next('connection_error');
    expect(error.payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
    await client.closed;
  });

  it('verifies IAM signatures of the connection (POST <endpoint>/connect, body {}) and of each start (over its data)', async () => {
    const client = await open(await signedHeaders(`${stack.graphqlUrl}/connect`, '{}', credentials));
    const data = JSON.stringify({ query: 'subscription { onTaskEvent(boardId: "main") { sequence } }', variables: {} });
    const good = await signedHeaders(stack.graphqlUrl, data, credentials);
    client.send({ id: 'iam-1', type: 'start', payload: { data, extensions: { authorization: good } } });
    // The signature holds, so the directive rules decide: onTaskEvent admits session tokens only.
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access onTaskEvent on type Subscription' });
    const tampered = JSON.stringify({ query: 'subscription { onTaskEvent(boardId: "main") { sequence taskId } }', variables: {} });
    client.send({ id: 'iam-2', type: 'start', payload: { data: tampered, extensions: { authorization: good } } });
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
  });
});

describe('start, data, stop', () => {
  it('delivers the mutation response to a subscriber, shaped to its selection (unselected fields are null)', async () => {
    const client = await open(lambda(member.token));
    client.send(start('s1', ON_EVENT, lambda(member.token)));
    expect(await client.next('start_ack')).toEqual({ type: 'start_ack', id: 's1' });
    const published = await publish('task-a', 'sequence taskId type');
    expect(await client.next('data')).toEqual({
      type: 'data',
      id: 's1',
      payload: { data: { onTaskEvent: { sequence: published, taskId: 'task-a', type: 'TASK_UPDATED', actorId: null } } },
    });
  });

  it('argument filters: a subscriber for task b never sees task a', async () => {
    const client = await open(lambda(member.token));
    client.send(start('only-b', ON_EVENT, lambda(member.token), { taskId: 'task-b' }));
    await client.next('start_ack');
    await publish('task-a');
    const forB = await publish('task-b');
    const data = await client.next('data');
    expect(data.payload.data.onTaskEvent).toMatchObject({ taskId: 'task-b', sequence: forB });
    await new Promise((r) => setTimeout(r, 100));
    expect(client.messages.filter((m) => m.type === 'data')).toHaveLength(1);
  });

  it('stop answers complete, and nothing arrives after it', async () => {
    const client = await open(lambda(member.token));
    client.send(start('s2', ON_EVENT, lambda(member.token)));
    await client.next('start_ack');
    client.send({ type: 'stop', id: 's2' });
    expect(await client.next('complete')).toEqual({ type: 'complete', id: 's2' });
    await publish('task-c');
    await new Promise((r) => setTimeout(r, 100));
    expect(client.messages.some((m) => m.type === 'data')).toBe(false);
  });

  it.each([
    ['a query', 'query { me { id } }'],
    ['a mutation', 'mutation { createTask(boardId: "main", input: { title: "x" }) { id } }'],
  ])('refuses %s with UnsupportedOperation', async (_, query) => {
    const client = await open(lambda(member.token));
    client.send(start('bad', query, lambda(member.token)));
    const error = await client.next('error');
    expect(error).toMatchObject({ id: 'bad', payload: { errors: [{ errorType: 'UnsupportedOperation' }] } });
  });

  it('refuses a reused id with DuplicatedOperationError, and keeps the first subscription', async () => {
    const client = await open(lambda(member.token));
    client.send(start('dup', ON_EVENT, lambda(member.token)));
    await client.next('start_ack');
    client.send(start('dup', ON_EVENT, lambda(member.token)));
    expect((await client.next('error')).payload.errors[0].errorType).toBe('DuplicatedOperationError');
    await publish('task-d');
    expect((await client.next('data')).id).toBe('dup');
  });

  it('authorizes every start on its own: a bad token in the start is refused on a good connection', async () => {
    const client = await open(lambda(member.token));
    client.send(start('forged', ON_EVENT, lambda('abc.def.ghi')));
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
  });

  it('an API key may not subscribe to a field that allows only tokens (directive rules as for HTTP)', async () => {
    const client = await open(apiKey());
    client.send(start('key', ON_EVENT, apiKey()));
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access onTaskEvent on type Subscription' });
  });
});

describe('bad messages and limits', () => {
  it('answers malformed messages with clear errors, and keeps the connection (connection_init is optional, as on AppSync)', async () => {
    const client = await connect(stack.realtimeUrl, lambda(member.token));
    clients.push(client);
    client.send({ id: 'early', type: 'start', payload: { data: '{}' } });
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'BadRequestException', message: expect.stringContaining('"query"') });
    client.send(start('before-init', ON_EVENT, lambda(member.token)));
    expect(await client.next('start_ack')).toEqual({ type: 'start_ack', id: 'before-init' });
    client.send({ type: 'connection_init' });
    await client.next('connection_ack');
    client.send('not json');
    expect((await client.next('error')).payload.errors[0].errorType).toBe('BadRequestException');
    client.send({ type: 'subscribe', id: 'x' });
    expect((await client.next('error')).payload.errors[0].message).toContain('not part of the protocol');
    client.send({ id: 'y', type: 'start', payload: { data: '{"query": 1}' } });
    expect(await client.next('error')).toMatchObject({ id: 'y', payload: { errors: [{ errorType: 'BadRequestException' }] } });
    client.send(start('z', ON_EVENT, lambda(member.token)));
    expect(await client.next('start_ack')).toEqual({ type: 'start_ack', id: 'z' });
  });

  it('limits subscriptions per connection and message size', async () => {
    const client = await open(lambda(member.token));
    for (const id of ['l1', 'l2', 'l3']) {
      client.send(start(id, ON_EVENT, lambda(member.token)));
      await client.next('start_ack');
    }
    client.send(start('l4', ON_EVENT, lambda(member.token)));
    expect((await client.next('error')).payload.errors[0]).toMatchObject({ errorType: 'LimitExceededError' });
    client.send(start('big', `${ON_EVENT} #${'x'.repeat(5000)}`, lambda(member.token)));
    expect((await client.next('error')).payload.errors[0].message).toContain('4096 bytes');
  });

  it('drops a connection that stops answering pings, and its subscriptions with it', async () => {
    const silent = await connect(stack.realtimeUrl, lambda(member.token), 'subprotocol', { autoPong: false });
    silent.send({ type: 'connection_init' });
    await silent.next('connection_ack');
    const before = stack.hub.size;
    silent.send(start('quiet', ON_EVENT, lambda(member.token)));
    await silent.next('start_ack');
    expect(stack.hub.size).toBe(before + 1);
    expect(await silent.closed).toBe(1006);
    await new Promise((r) => setTimeout(r, 50));
    expect(stack.hub.size).toBe(before);
  });
});

// Who may receive what (filters from identity, invalidation, modes and roles): test/security/subscription-eavesdropping.test.ts.

describe('as AppSync serves it (docs/appsync-fidelity.md)', () => {
  it('takes the auth from the upgrade request\'s plain HTTP headers when no encoded header is sent', async () => {
    const client = await connect(stack.realtimeUrl, undefined, 'subprotocol', { headers: lambda(member.token) });
    clients.push(client);
    client.send(start('plain', ON_EVENT, lambda(member.token)));
    expect(await client.next('start_ack')).toEqual({ type: 'start_ack', id: 'plain' });
    const forged = await connect(stack.realtimeUrl, undefined, 'subprotocol', { headers: { Authorization: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln' } });
    clients.push(forged);
    expect((await forged.next('connection_error')).payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException' });
  });

  it('serves a connection that never sends connection_init: starts, events, keep-alives', async () => {
    const client = await connect(stack.realtimeUrl, lambda(member.token));
    clients.push(client);
    client.send(start('no-init', ON_EVENT, lambda(member.token)));
    await client.next('start_ack');
    const sent = await publish('t-no-init');
    expect((await client.next('data')).payload.data.onTaskEvent).toMatchObject({ sequence: sent, taskId: 't-no-init' });
    await client.next('ka', 1000);
    expect(client.messages.some((m) => m.type === 'connection_ack')).toBe(false);
  });

  it('an argument given as null delivers only events where that field is null', async () => {
    const client = await open(lambda(member.token));
    client.send(start('null-task', 'subscription ($a: ID) { onTaskEvent(boardId: "main", assigneeId: $a) { sequence taskId } }', lambda(member.token), { a: null }));
    client.send(start('any-task', 'subscription { onTaskEvent(boardId: "main") { sequence taskId } }', lambda(member.token)));
    await client.next('start_ack');
    await client.next('start_ack');
    // The event names an assignee: only the subscription without the argument hears of it.
    const body = JSON.stringify({
      query: 'mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { boardId sequence taskId assigneeId } }',
      variables: { e: { boardId: 'main', sequence: (sequence += 1), type: 'TASK_UPDATED', taskId: 't-assigned', assigneeId: 'someone', changes: [], at: '2026-11-20T10:00:00Z' } },
    });
    expect((await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body })).status).toBe(200);
    expect(await client.next('data')).toMatchObject({ id: 'any-task' });
    // An event without an assignee reaches both.
    const unassigned = await publish('t-unassigned', 'sequence taskId assigneeId');
    const both = [await client.next('data'), await client.next('data')];
    expect(both.map((m) => m.id).sort()).toEqual(['any-task', 'null-task']);
    expect(both.every((m) => m.payload.data.onTaskEvent.sequence === unassigned)).toBe(true);
  });

  it('does not deliver a subscription message over 240 KB: the subscriber gets an error instead', async () => {
    const client = await open(lambda(member.token));
    client.send(start('big-event', 'subscription { onTaskEvent(boardId: "main") { sequence changes { field from to } } }', lambda(member.token)));
    await client.next('start_ack');
    const changes = Array.from({ length: 250 }, (_, i) => ({ field: `f${i}`, from: JSON.stringify('x'.repeat(500)), to: JSON.stringify('y'.repeat(500)) }));
    const body = JSON.stringify({
      query: 'mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { boardId sequence changes { field from to } } }',
      variables: { e: { boardId: 'main', sequence: (sequence += 1), type: 'TASK_UPDATED', taskId: 't-big', changes, at: '2026-11-20T10:00:00Z' } },
    });
    const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body });
    expect(((await response.json()) as any).errors).toBeUndefined();
    expect(await client.next('error')).toMatchObject({ id: 'big-event', payload: { errors: [{ errorType: 'LimitExceededError', message: expect.stringContaining('240 KB') }] } });
    expect(client.messages.some((m) => m.type === 'data' && m.id === 'big-event')).toBe(false);
  });
});
