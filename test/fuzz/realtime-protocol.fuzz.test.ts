/**
 * AppSync's real-time protocol, fuzzed on real sockets: text that is not JSON, JSON that is not
 * a message, unknown types, `start` with broken payloads, forged or missing authorization,
 * hostile subscription arguments, `stop` for ids never started, binary frames, oversized
 * frames, and connection handshakes with garbage auth headers. Every answer must be a protocol
 * message, every error a clear one, and a connection must survive whatever it is sent.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { ANSWER_TIMEOUT_MS, budgetMs, expectClearError, forEachCase, Tally } from '../helpers/fuzz.ts';
import { connect, iamCredentials, signedHeaders, start, type RawClient } from '../helpers/realtime.ts';
import { hostileString, hostileValue } from '../helpers/schema-arbitraries.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/** Connections the message cases share, one case at a time each. */
const CONNECTIONS = 4;
const SERVER_TYPES = new Set(['connection_ack', 'connection_error', 'ka', 'start_ack', 'data', 'error', 'complete']);
const ON_EVENT = 'subscription ($taskId: ID, $status: TaskStatus) { onTaskEvent(boardId: "main", taskId: $taskId, status: $status) { sequence taskId } }';

let stack: TestStack;
let credentials: LocalCredentials;
let host: string;
let token: string;
const idle: RawClient[] = [];
const opened: RawClient[] = [];
const tally = new Tally('realtime-protocol');

const lambda = () => ({ Authorization: token, host });

async function openInitialised(): Promise<RawClient> {
  const client = await connect(stack.realtimeUrl, lambda());
  opened.push(client);
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  return client;
}

beforeAll(async () => {
  stack = await startTestStack({ realtime: { keepAliveMs: 60_000 } });
  credentials = await iamCredentials(stack.dataDir);
  host = new URL(stack.graphqlUrl).host;
  token = (await stack.tokenFor('realtime-fuzz@example.com', 'MEMBER')).token;
  for (let i = 0; i < CONNECTIONS; i++) idle.push(await openInitialised());
}, 120_000);

afterAll(async () => {
  tally.print();
  opened.forEach((c) => c.close());
  await stack?.stop();
});

/** One frame to send: text, or bytes sent as a binary frame. */
type Frame = string | Uint8Array;

const authorization = fc.oneof(
  { weight: 4, arbitrary: fc.constant('good') },
  { weight: 1, arbitrary: fc.constantFrom('forged', 'empty', 'api key', 'iam without signature') },
  { weight: 1, arbitrary: hostileValue },
);

function authorizationOf(kind: unknown): unknown {
  switch (kind) {
    case 'good':
      return lambda();
    case 'forged':
      return { Authorization: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', host };
    case 'empty':
      return {};
    case 'api key':
      return { 'x-api-key': stack.apiKey, host };
    case 'iam without signature':
      return { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261121/us-east-1/appsync/aws4_request', host };
    default:
      return kind;
  }
}

const id = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: hostileValue }, { weight: 1, arbitrary: fc.constant('x'.repeat(129)) });

/** The `data` string of a start: a real subscription with hostile arguments, or anything else. */
const startData = fc.oneof(
  { weight: 4, arbitrary: fc.record({ taskId: hostileValue, status: fc.oneof(fc.constantFrom('TODO', 'DONE'), hostileValue) }).map((variables) => JSON.stringify({ query: ON_EVENT, variables })) },
  { weight: 1, arbitrary: fc.constantFrom('query { me { id } }', 'mutation { signOut }', 'subscription { onNotification { id } } subscription B { onBoardStats(boardId: "main") { total } }', 'subscription { __typename }', 'subscription { onTaskEvent(boardId: "main") { task { id } } onBoardStats(boardId: "main") { total } }', '{').map((query) => JSON.stringify({ query })) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
);

const startMessage = fc.record({ id, data: fc.oneof({ weight: 5, arbitrary: startData }, { weight: 1, arbitrary: hostileValue }), auth: authorization }).map(({ id, data, auth }) =>
  JSON.stringify({ type: 'start', id, payload: { data, extensions: { authorization: authorizationOf(auth) } } }),
);

const frame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.record({ type: fc.oneof(fc.constantFrom('connection_init', 'start', 'stop', 'ka', 'data', 'complete', 'connection_terminate', 'subscribe'), hostileValue), id, payload: hostileValue }, { requiredKeys: [] }).map((m) => JSON.stringify(m)) },
  { weight: 4, arbitrary: startMessage },
  { weight: 2, arbitrary: id.map((stopId) => JSON.stringify({ type: 'stop', id: stopId })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: startMessage.map((text) => new TextEncoder().encode(text)) },
  { weight: 1, arbitrary: fc.integer({ min: 128 * 1024 - 64, max: 900 * 1024 }).map((n) => JSON.stringify({ type: 'start', id: 'big', payload: { data: ' '.repeat(n) } })) },
);

let probes = 0;

/**
 * Sends the frames, then a `stop` for a fresh id: messages are handled strictly in order, so
 * its `complete` comes after every answer to the frames. Returns those answers.
 */
async function exchange(client: RawClient, frames: Frame[]): Promise<any[]> {
  const from = client.messages.length;
  for (const f of frames) client.ws.send(f);
  const probe = `probe-${++probes}`;
  client.send({ type: 'stop', id: probe });
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const message = await client.next('complete', Math.max(1, deadline - Date.now())).catch(() => {
      throw new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms (a hang?); socket state ${client.ws.readyState}`);
    });
    if (message.id === probe) break;
  }
  return client.messages.slice(from);
}

describe('messages on an open connection', () => {
  it('each frame gets protocol messages back, errors are clear, and the connection stays open', async () => {
    await forEachCase(fc.array(frame, { minLength: 1, maxLength: 4 }), 1, async (frames) => {
      const client = idle.pop()!;
      try {
        const what = frames.map((f) => (typeof f === 'string' ? f.slice(0, 200) : `<${f.length} binary bytes>`)).join(' | ');
        const answers = await exchange(client, frames);
        const errorTypes: string[] = [];
        for (const answer of answers) {
          expect(SERVER_TYPES.has(answer.type), `unknown message ${JSON.stringify(answer)} for ${what}`).toBe(true);
          expect(answer.type, `for ${what}`).not.toBe('connection_error');
          if (answer.type === 'error') for (const error of answer.payload.errors) errorTypes.push(expectClearError(error, `${JSON.stringify(answer)} for ${what}`));
        }
        expect(client.ws.readyState, `the connection closed on ${what}`).toBe(client.ws.OPEN);
        // Subscriptions that did start are stopped, so cases do not pile up against the per-connection limit.
        for (const acked of answers.filter((a) => a.type === 'start_ack')) await exchange(client, [JSON.stringify({ type: 'stop', id: acked.id })]);
        tally.record(errorTypes);
      } finally {
        idle.push(client);
      }
    }, CONNECTIONS);
  }, budgetMs(1));
});

describe('connection handshakes', () => {
  /** Auth headers as clients send them (base64url JSON in a `header-` subprotocol, or `?header=`), garbled. */
  const handshake = fc.record({
    header: fc.oneof(
      fc.constant(undefined),
      hostileString.map((s) => Buffer.from(s).toString('base64url')),
      fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc.constantFrom('%%%', '====', 'e30', 'bnVsbA'),
      fc.constant(Buffer.from(JSON.stringify({ Authorization: 'x'.repeat(5000), host: 'h' })).toString('base64url')),
    ),
    via: fc.constantFrom<'subprotocol' | 'query'>('subprotocol', 'query'),
    init: fc.boolean(),
  });

  it('garbled auth headers are refused with connection_error (or a 4xx upgrade), in time, never a crash', async () => {
    await forEachCase(handshake, 0.1, async ({ header, via: asked, init }) => {
      // A subprotocol is a token: what cannot be one goes in the query string, as older clients send it.
      const via = header === undefined || /^[\w-]*$/.test(header) ? asked : 'query';
      const base = stack.realtimeUrl;
      const url = via === 'query' && header !== undefined ? `${base}?header=${encodeURIComponent(header)}&payload=e30=` : base;
      const protocols = via === 'subprotocol' && header !== undefined ? ['graphql-ws', `header-${header}`] : ['graphql-ws'];
      const ws = new WebSocket(url, protocols);
      const what = `${via} header ${String(header).slice(0, 100)}`;
      const outcome = await new Promise<{ status?: number; messages: any[]; code?: number }>((resolve, reject) => {
        const messages: any[] = [];
        const timer = setTimeout(() => reject(new Error(`no refusal within ${ANSWER_TIMEOUT_MS} ms for ${what}`)), ANSWER_TIMEOUT_MS);
        ws.on('unexpected-response', (_, response) => (clearTimeout(timer), resolve({ status: response.statusCode, messages })));
        ws.on('error', () => undefined);
        ws.on('open', () => init && ws.send(JSON.stringify({ type: 'connection_init' })));
        ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
        ws.on('close', (code) => (clearTimeout(timer), resolve({ messages, code })));
      });
      if (outcome.status !== undefined) {
        expect(outcome.status, what).toBeGreaterThanOrEqual(400);
        expect(outcome.status, what).toBeLessThan(500);
        return tally.record([`HTTP ${outcome.status} upgrade`]);
      }
      const refusal = outcome.messages.find((m) => m.type === 'connection_error');
      expect(refusal, `no connection_error for ${what}: ${JSON.stringify(outcome.messages)}`).toBeDefined();
      tally.record(refusal.payload.errors.map((e: any) => expectClearError(e, what)));
    });
  }, budgetMs(0.1));
});

describe('malformed WebSocket frames on the wire', () => {
  /** Opens a TCP socket and upgrades it by hand, so any bytes at all can follow the handshake. */
  async function upgradedSocket(): Promise<net.Socket> {
    const { hostname, port } = new URL(stack.realtimeUrl);
    const socket = net.connect(Number(port), hostname);
    const header = Buffer.from(JSON.stringify(lambda())).toString('base64url');
    socket.write(
      `GET /graphql/realtime HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-ws, header-${header}\r\n\r\n`,
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('data', (data) => (data.toString().startsWith('HTTP/1.1 101') ? resolve() : reject(new Error(data.toString()))));
      socket.once('error', reject);
    });
    return socket;
  }

  /** A client frame: FIN and opcode byte, masked (or not) payload of `payload`. */
  function frameBytes(first: number, payload: Uint8Array, masked: boolean): Buffer {
    const length = payload.length < 126 ? [payload.length] : [126, payload.length >> 8, payload.length & 0xff];
    const mask = masked ? [1, 2, 3, 4] : [];
    const body = Buffer.from(payload.map((b, i) => (masked ? b ^ mask[i % 4]! : b)));
    return Buffer.concat([Buffer.from([first, (masked ? 0x80 : 0) | length[0]!, ...length.slice(1), ...mask]), body]);
  }

  const wire = fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ kind: 'random bytes', bytes: Buffer.from(bytes) })),
    fc.uint8Array({ minLength: 1, maxLength: 50 }).map((bytes) => ({ kind: 'invalid UTF-8 text', bytes: frameBytes(0x81, Uint8Array.from([0xff, 0xfe, ...bytes]), true) })),
    fc.integer({ min: 3, max: 7 }).map((op) => ({ kind: `reserved opcode ${op}`, bytes: frameBytes(0x80 | op, Buffer.from('{}'), true) })),
    fc.constant({ kind: 'RSV1 without extension', bytes: frameBytes(0xc1, Buffer.from('{}'), true) }),
    fc.constant({ kind: 'unmasked client frame', bytes: frameBytes(0x81, Buffer.from('{"type":"connection_init"}'), false) }),
    fc.constant({ kind: 'continuation without start', bytes: frameBytes(0x80, Buffer.from('{}'), true) }),
    fc.constant({ kind: 'fragmented ping', bytes: frameBytes(0x09, Buffer.from('x'), true) }),
    fc.constant({ kind: 'length over 2^53', bytes: Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]) }),
  );

  it('each costs only its own connection: the server closes it in time and keeps serving', async () => {
    await forEachCase(wire, 0.1, async ({ kind, bytes }) => {
      const socket = await upgradedSocket();
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => undefined);
      socket.write(bytes);
      // Random bytes may be a frame header still waiting for its payload: our end of the stream ends it.
      if (kind === 'random bytes') socket.end();
      const timer = new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), ANSWER_TIMEOUT_MS));
      expect(await Promise.race([closed, timer]), `the server did not close the connection after ${kind}`).not.toBe('hang');
      tally.record([`closed on ${kind.startsWith('reserved') ? 'reserved opcode' : kind}`]);
    });
    const client = await openInitialised();
    expect(client.messages[0].type).toBe('connection_ack');
  }, budgetMs(0.1));
});

describe('frames over the 1 MB frame limit', () => {
  it('close that connection with 1009, and the server keeps serving others', async () => {
    const client = await openInitialised();
    client.send({ type: 'start', id: 'huge', payload: { data: 'x'.repeat(1024 * 1024 + 1) } });
    expect(await client.closed).toBe(1009);
    tally.record(['close 1009']);
  });
});

describe('after the run', () => {
  it('a new subscriber still receives what a mutation publishes', async () => {
    const client = await openInitialised();
    client.send(start('after', ON_EVENT, lambda(), { taskId: 'after-fuzz' }));
    await client.next('start_ack');
    const body = JSON.stringify({
      query: 'mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { boardId sequence taskId } }',
      variables: { e: { boardId: 'main', sequence: 1, type: 'TASK_UPDATED', taskId: 'after-fuzz', changes: [], at: '2026-11-21T10:00:00Z' } },
    });
    const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body });
    expect(response.status).toBe(200);
    expect((await client.next('data')).payload.data.onTaskEvent).toEqual({ sequence: 1, taskId: 'after-fuzz' });
  });
});
