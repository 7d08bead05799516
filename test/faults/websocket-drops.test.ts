/**
 * Fault: real-time connections cut mid-stream, abruptly (the TCP socket destroyed, no close
 * frame), from the server side (every connection at once, as a restart or a load balancer
 * does) and from the client side (one client's network goes away), while tasks are being
 * written and their events are flowing.
 *
 * What a user must notice: their board shows "reconnecting", then is live again by itself,
 * and holds every task event exactly once, in order; nothing they missed while away is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTaskEvents, duplicates, eventProblems } from './helpers/checks.ts';
import { EventFeedClient } from './helpers/event-feed-client.ts';
import { startFaultStack, type FaultStack } from './helpers/in-process-stack.ts';
import { TaskWriter } from './helpers/task-writer.ts';
import { FaultTally } from './helpers/tally.ts';
import { ROUNDS, until } from './helpers/wait.ts';

const tally = new FaultTally('websocket drops');
let runtime: FaultStack;
let token: string;
const clients: EventFeedClient[] = [];

beforeAll(async () => {
  runtime = await startFaultStack();
  token = await runtime.tokenFor('lead@example.com', 'ADMIN');
});
afterAll(async () => {
  clients.forEach((c) => c.stop());
  await runtime?.stop();
  console.log(tally.line());
});

const target = () => ({ graphqlUrl: runtime.stack.graphqlUrl, realtimeUrl: runtime.stack.realtimeUrl, token });

describe('WebSocket connections dropped mid-stream', { timeout: 120_000 }, () => {
  it(`server-side and client-side cuts under load (${ROUNDS * 2} cuts): every client reconnects and has every event once, in order`, async () => {
    for (let i = 0; i < 3; i++) {
      const client = new EventFeedClient(target);
      clients.push(client);
      client.start();
    }
    await until('three live feeds', () => clients.every((c) => c.state === 'live'), 20_000);
    const writer = new TaskWriter(() => ({ graphqlUrl: runtime.stack.graphqlUrl, token }), { workers: 2, updatesPerTask: 2, label: 'ws' });
    writer.start();

    for (let round = 1; round <= ROUNDS; round++) {
      // Mid-stream: cut only once events are arriving on every client since the last cut.
      const seen = clients.map((c) => c.wire.length);
      await until('events flowing to every client', () => clients.every((c, i) => c.wire.length >= seen[i]! + 3), 30_000);

      const opened = clients.map((c) => c.connections);
      const cut = runtime.stack.dropConnections();
      expect(cut).toBeGreaterThanOrEqual(clients.length);
      tally.injected('server-side cut of every connection');
      await until('every client to reconnect after the server-side cut', () => clients.every((c, i) => c.connections > opened[i]! && c.state === 'live'), 20_000);
      tally.survived('server-side cut of every connection');

      const victim = clients[round % clients.length]!;
      const before = victim.connections;
      await until('events flowing to the victim', () => victim.wire.length > 0, 10_000);
      expect(victim.dropFromClientSide()).toBe(true);
      tally.injected('client-side abrupt close');
      await until('the victim to reconnect', () => victim.connections > before && victim.state === 'live', 20_000);
      tally.survived('client-side abrupt close');
    }

    await writer.stop();
    await runtime.stack.fanOut.settled();
    const stored = await allTaskEvents(runtime.stack.graphqlUrl, token);
    expect(eventProblems(stored, writer.acked)).toEqual([]);
    for (const client of clients) {
      await until('the client to hold every stored event', () => client.received.length >= stored.length, 20_000);
      expect(client.received.map((e) => e.sequence)).toEqual(stored.map((e) => e.sequence));
      expect(duplicates(client.wire)).toEqual([]);
      // What the person saw: it went away and came back, it did not stop.
      expect(client.states).toContain('reconnecting');
      expect(client.state).toBe('live');
    }
  });
});
