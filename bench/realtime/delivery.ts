/**
 * Figures (1) and (2): how long after a mutation's response each subscriber has the event, and
 * how many deliveries per second the server sustains to 1,000 subscribers.
 */
import { performance } from 'node:perf_hooks';
import { assertOk, type Publisher, type SubscriberPool } from './clients.ts';
import { median, sequenceOf, sleep, spread, variablesFor, waitFor, type Spread } from './stats.ts';

/** What is published, and the counter that numbers events across the whole run. */
export interface EventSource {
  publisher: Publisher;
  mutation: string;
  /** Variables template (see `variablesFor`). */
  variables: string;
  /** The next event's sequence; unique across the run. */
  nextSequence(): number;
}

/** Figure (1) for one subscriber count. */
export interface LatencyResult {
  subscribers: number;
  events: number;
  deliveries: number;
  missing: number;
  duplicates: number;
  /** Delivery time minus the time the mutation's HTTP response had fully arrived. */
  fromResponse: Spread;
  /** Share of deliveries that arrived before the HTTP response did. */
  beforeResponse: number;
  /** Delivery time minus the time the mutation was sent. */
  fromRequest: Spread;
  /** Per event: the last subscriber's delivery minus the time the mutation was sent. */
  lastFromRequest: Spread;
  /** Per event: the last subscriber's delivery minus the first's (the fan-out's own spread). */
  firstToLast: Spread;
  /** The mutation's HTTP round trip. */
  roundTrip: Spread;
}

/**
 * Publishes `warmup` unmeasured events and then `events` measured ones, one at a time: each
 * waits for its HTTP response and for every subscriber to have it (or `timeoutMs`).
 */
export async function measureLatency(pool: SubscriberPool, source: EventSource, events: number, warmup: number, timeoutMs = 5_000): Promise<LatencyResult> {
  const subscribers = pool.open.length;
  await publishInTurn(pool, source, warmup, timeoutMs);
  const run = await publishInTurn(pool, source, events, timeoutMs);
  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  let missing = 0;
  let duplicates = 0;
  let before = 0;
  const lastFromRequest: number[] = [];
  const firstToLast: number[] = [];
  for (let event = 0; event < events; event++) {
    let first = Infinity;
    let last = -Infinity;
    for (let s = 0; s < subscribers; s++) {
      const cell = event * subscribers + s;
      const count = run.counts[cell];
      if (count === 0) {
        missing += 1;
        continue;
      }
      duplicates += count - 1;
      first = Math.min(first, run.arrivals[cell]);
      last = Math.max(last, run.arrivals[cell]);
      const delay = run.arrivals[cell] - run.answeredAt[event];
      fromResponse.push(delay);
      fromRequest.push(run.arrivals[cell] - run.sentAt[event]);
      if (delay < 0) before += 1;
    }
    if (last >= first) {
      lastFromRequest.push(last - run.sentAt[event]);
      firstToLast.push(last - first);
    }
  }
  return {
    subscribers,
    events,
    deliveries: fromResponse.length + duplicates,
    missing,
    duplicates,
    fromResponse: spread(fromResponse),
    beforeResponse: fromResponse.length ? before / fromResponse.length : 0,
    fromRequest: spread(fromRequest),
    lastFromRequest: spread(lastFromRequest),
    firstToLast: spread(firstToLast),
    roundTrip: spread(run.answeredAt.map((t, i) => t - run.sentAt[i])),
  };
}

async function publishInTurn(pool: SubscriberPool, source: EventSource, events: number, timeoutMs: number) {
  const subscribers = pool.open.length;
  const counts = new Uint16Array(events * subscribers);
  const arrivals = new Float64Array(events * subscribers);
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  const first = source.nextSequence();
  for (let i = 1; i < events; i++) source.nextSequence();
  let current = 0;
  let received = 0;
  pool.sink = (subscriber, data, at) => {
    const event = (sequenceOf(data) ?? first + current) - first; // without a sequence: the event in flight
    if (event < 0 || event >= events || subscriber >= subscribers) return;
    const cell = event * subscribers + subscriber;
    if (counts[cell]++ === 0) {
      arrivals[cell] = at;
      if (event === current) received += 1;
    }
  };
  for (current = 0; current < events; current++) {
    received = 0;
    const posted = await source.publisher.post(source.mutation, variablesFor(source.variables, first + current));
    assertOk(posted, 'the mutation');
    sentAt.push(posted.sentAt);
    answeredAt.push(posted.answeredAt);
    await waitFor(() => received >= subscribers, timeoutMs);
  }
  await sleep(100); // late duplicates would arrive now
  pool.sink = () => {};
  return { counts, arrivals, sentAt, answeredAt };
}

/** Figure (2): deliveries per second with publishers running flat out. */
export interface ThroughputResult {
  subscribers: number;
  publishers: number;
  seconds: number;
  published: number;
  publishErrors: number;
  eventsPerSecond: number;
  /** Deliveries that arrived inside the publishing window, per second of it. */
  deliveriesPerSecond: number;
  /** Deliveries per whole second of the window: slowest, median, fastest. */
  perSecond: { min: number; median: number; max: number };
  /** After the window: deliveries still missing once arrivals stopped, and duplicates. */
  missing: number;
  duplicates: number;
  /** How long after the last publish's response the last delivery arrived. */
  drainMs: number;
  roundTrip: Spread;
  /** CPU used during the run, in cores (CPU seconds per second of wall time); set by the caller. */
  cpu?: { server?: number; loadGenerator: number };
}

/** Runs `publishers` publishing loops for `seconds` and counts what the subscribers receive. */
export async function measureThroughput(pool: SubscriberPool, source: EventSource, publishers: number, seconds: number): Promise<ThroughputResult> {
  const subscribers = pool.open.length;
  const maxEvents = Math.max(1000, Math.floor(50_000_000 / Math.max(1, subscribers)));
  const counts = new Uint8Array(maxEvents * subscribers);
  const sequences = new Map<number, number>(); // sequence -> event index
  const buckets = new Array<number>(Math.ceil(seconds)).fill(0);
  const roundTrips: number[] = [];
  let delivered = 0;
  let inWindow = 0;
  let unknown = 0;
  let lastArrival = 0;
  let errors = 0;
  const start = performance.now() + 200; // the first bucket starts once the loops are running
  const end = start + seconds * 1000;
  pool.sink = (subscriber, data, at) => {
    delivered += 1;
    lastArrival = at;
    if (at >= start && at < end) {
      inWindow += 1;
      buckets[Math.floor((at - start) / 1000)] += 1;
    }
    const event = sequences.get(sequenceOf(data) ?? -1);
    if (event === undefined || subscriber >= subscribers) unknown += 1;
    else if (counts[event * subscribers + subscriber] < 255) counts[event * subscribers + subscriber] += 1;
  };
  let lastAnswer = 0;
  const loop = async () => {
    while (performance.now() < end && sequences.size < maxEvents) {
      const sequence = source.nextSequence();
      sequences.set(sequence, sequences.size);
      try {
        const posted = await source.publisher.post(source.mutation, variablesFor(source.variables, sequence));
        assertOk(posted, 'the mutation');
        roundTrips.push(posted.answeredAt - posted.sentAt);
        lastAnswer = Math.max(lastAnswer, posted.answeredAt);
      } catch {
        errors += 1;
        sequences.delete(sequence);
      }
    }
  };
  await Promise.all(Array.from({ length: publishers }, loop));
  // Drain: wait until every delivery is in, or nothing has arrived for 2 s.
  let seen = -1;
  while (delivered - unknown < sequences.size * subscribers && delivered !== seen) {
    seen = delivered;
    await sleep(2_000);
  }
  pool.sink = () => {};
  let missing = 0;
  let duplicates = 0;
  for (const event of sequences.values()) {
    for (let s = 0; s < subscribers; s++) {
      const count = counts[event * subscribers + s];
      if (count === 0) missing += 1;
      else duplicates += count - 1;
    }
  }
  const published = sequences.size;
  return {
    subscribers,
    publishers,
    seconds,
    published,
    publishErrors: errors,
    eventsPerSecond: published / ((Math.max(lastAnswer, end) - (start - 200)) / 1000),
    deliveriesPerSecond: inWindow / seconds,
    perSecond: { min: Math.min(...buckets), median: median(buckets), max: Math.max(...buckets) },
    missing,
    duplicates,
    drainMs: Math.max(0, lastArrival - lastAnswer),
    roundTrip: spread(roundTrips),
  };
}
