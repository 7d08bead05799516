/**
 * The subscribers: `onTaskEvent(boardId: "main")` with no arguments (every event of the board), each on its own
 * WebSocket (AppSync's `graphql-ws` protocol, bench/realtime's SubscriberPool) and signed in as
 * a different user (the admin, then members), held open for the whole run. Each delivery is
 * counted per subscriber by `taskId@version` and by sequence, so a lost or doubled event shows
 * exactly.
 */
import { headerMaker } from '../realtime/auth.ts';
import { SubscriberPool } from '../realtime/clients.ts';
import { sleep, spread, type Spread } from '../realtime/stats.ts';
import type { BoardUser } from './board.ts';
import { eventKey, type ExpectedEvents, type PublishedEvent } from './events.ts';

const SUBSCRIPTION = 'subscription Load { onTaskEvent(boardId: "main") { sequence taskId type task { version } } }';

/** One subscriber's deliveries. */
interface Tally {
  user: string;
  /** key -> how many times it arrived, when it first did, and its sequence. */
  byKey: Map<string, { count: number; firstAt: number; sequence: number }>;
  deliveries: number;
  closes: number;
}

/** One subscriber's account at the end. */
export interface SubscriberAudit {
  index: number;
  user: string;
  /** Distinct events received. */
  delivered: number;
  /** Published sequences this subscriber never received. */
  missing: number[];
  /** Sequences received more than once. */
  duplicates: number[];
  /** Received, but not in the server's log after the run began. */
  unknown: number;
  /** Times its connection closed during the run (goal: 0). */
  closes: number;
  /** Delivery minus the write's acknowledgement, in ms. */
  lag: Spread;
}

/** The open subscribers and their tallies. */
export class Subscribers {
  private readonly pools: SubscriberPool[] = [];
  private readonly tallies: Tally[] = [];
  private closing = false;

  /** Opens `count` subscribers, the i-th signed in as `users[i % users.length]`; resolves once all are acknowledged. */
  static async open(graphqlUrl: string, realtimeUrl: string, users: BoardUser[], count: number): Promise<Subscribers> {
    const subscribers = new Subscribers();
    for (let i = 0; i < count; i++) {
      const user = users[i % users.length];
      const pool = new SubscriberPool({ graphqlUrl, realtimeUrl, headers: headerMaker({ mode: 'lambda', token: user.token }), subscription: SUBSCRIPTION });
      const tally: Tally = { user: `${user.role.toLowerCase()} ${user.email}`, byKey: new Map(), deliveries: 0, closes: 0 };
      pool.sink = (_, data, at) => subscribers.record(tally, data, at);
      await pool.grow(1);
      pool.open[0].ws.on('close', () => {
        if (!subscribers.closing) tally.closes += 1;
      });
      subscribers.pools.push(pool);
      subscribers.tallies.push(tally);
    }
    return subscribers;
  }

  private record(tally: Tally, data: unknown, at: number): void {
    const event = (data as { onTaskEvent?: { sequence: number; taskId: string; task?: { version: number } | null } } | null)?.onTaskEvent;
    if (!event) return;
    tally.deliveries += 1;
    const key = eventKey(event.taskId, event.task?.version ?? -1);
    const seen = tally.byKey.get(key);
    if (seen) seen.count += 1;
    else tally.byKey.set(key, { count: 1, firstAt: at, sequence: event.sequence });
  }

  get count(): number {
    return this.tallies.length;
  }

  /** The fewest distinct events any subscriber has so far (progress lines). */
  minDelivered(): number {
    return this.tallies.length ? Math.min(...this.tallies.map((t) => t.byKey.size)) : 0;
  }

  /** Messages other than data, keep-alives and acks (errors, completes), over all subscribers. */
  unexpectedMessages(): { count: number; examples: string[] } {
    return {
      count: this.pools.reduce((n, p) => n + p.unexpectedCount, 0),
      examples: this.pools.flatMap((p) => p.unexpected).slice(0, 3),
    };
  }

  /** Whether every subscriber has every expected event. */
  caughtUp(expected: ExpectedEvents): boolean {
    for (const tally of this.tallies) for (const key of expected.ackedAt.keys()) if (!tally.byKey.has(key)) return false;
    return true;
  }

  /**
   * Waits until every subscriber has every expected event, or nothing new has arrived for
   * `quietMs`, or `maxMs` passed. Resolves to whether they caught up.
   */
  async drain(expected: ExpectedEvents, quietMs: number, maxMs: number): Promise<boolean> {
    const deadline = Date.now() + maxMs;
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      if (this.caughtUp(expected)) return true;
      const total = this.tallies.reduce((n, t) => n + t.deliveries, 0);
      if (total !== last) {
        last = total;
        lastChange = Date.now();
      }
      if (Date.now() - lastChange >= quietMs || Date.now() >= deadline) return false;
      await sleep(250);
    }
  }

  /** Each subscriber against the server's log and the acknowledged writes. */
  audit(published: PublishedEvent[], expected: ExpectedEvents): SubscriberAudit[] {
    const publishedKeys = new Set(published.map((e) => e.key));
    return this.tallies.map((tally, index) => {
      const missing = published.filter((e) => !tally.byKey.has(e.key)).map((e) => e.sequence);
      const duplicates: number[] = [];
      const lags: number[] = [];
      let unknown = 0;
      for (const [key, seen] of tally.byKey) {
        if (seen.count > 1) duplicates.push(seen.sequence);
        if (!publishedKeys.has(key)) unknown += 1;
        const acked = expected.ackedAt.get(key);
        if (acked !== undefined) lags.push(seen.firstAt - acked);
      }
      return { index, user: tally.user, delivered: tally.byKey.size, missing, duplicates: duplicates.sort((a, b) => a - b), unknown, closes: tally.closes, lag: spread(lags) };
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.pools.map((p) => p.shrinkTo(0)));
  }
}
