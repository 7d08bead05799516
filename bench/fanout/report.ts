/** The figures of bench/fanout, and how they are printed. */
import type { Spread } from '../realtime/stats.ts';

export interface PhaseResult {
  subscribers: number;
  writers: number;
  seconds: number;
  writes: { acknowledged: number; perSecond: number; errors: number; latency: Spread };
  delivered: {
    /** Distinct events each subscriber received while the writes went on, per second. */
    perSubscriberPerSecondDuringWrites: number;
    /** Every acknowledged write's event, per second from the first write to the last arrival. */
    perSubscriberPerSecondToLast: number;
    deliveriesPerSecondToLast: number;
    missing: number;
    wireMessages: number;
    /** Events acknowledged but not yet at the slowest subscriber when the writes stopped. */
    backlogAtEndOfWrites: number;
    drainSeconds: number;
  };
  /** Write acknowledged -> event at a subscriber, every subscriber and event. */
  lag: Spread;
  /** The same, by the 5 s slice in which the write was acknowledged: a growing backlog shows as growing lag. */
  lagBySlice: { fromSecond: number; lag: Spread }[];
  dynamodb: { calls: Record<string, number>; total: number; perEvent: number };
}

export interface FanoutResult {
  project: string;
  idle: { seconds: number; calls: Record<string, number>; perSecond: number };
  phases: PhaseResult[];
}

/** Calls the stream pollers and the functions make: the fan-out's, not the API requests'. */
export function fanOutCalls(calls: Record<string, number>): number {
  return Object.entries(calls)
    .filter(([key]) => key.startsWith('functions ') || /^runtime (GetRecords|GetShardIterator|DescribeStream|ListStreams)$/.test(key))
    .reduce((sum, [, n]) => sum + n, 0);
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '-');

export function printReport(result: FanoutResult): void {
  const out = (line = '') => process.stdout.write(line + '\n');
  out(`bench/fanout: ${result.project}`);
  out();
  out(`idle stack: ${result.idle.perSecond.toFixed(2)} DynamoDB calls/s over ${result.idle.seconds} s (${describeCalls(result.idle.calls, result.idle.seconds, '/s')})`);
  out();
  out('| subscribers | writes/s (acked) | write p50 / p99 ms | events/s per subscriber during writes | to the last arrival | backlog at end of writes | drain s | lag p50 / p99 / max ms | missing | DynamoDB calls per event: fan-out / all |');
  out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of result.phases) {
    out(
      `| ${p.subscribers} | ${p.writes.perSecond.toFixed(1)} (${p.writes.acknowledged}, ${p.writes.errors} errors) | ${ms(p.writes.latency.p50)} / ${ms(p.writes.latency.p99)} | ` +
        `${p.delivered.perSubscriberPerSecondDuringWrites.toFixed(1)} | ${p.delivered.perSubscriberPerSecondToLast.toFixed(1)} | ${p.delivered.backlogAtEndOfWrites} | ${p.delivered.drainSeconds.toFixed(1)} | ` +
        `${ms(p.lag.p50)} / ${ms(p.lag.p99)} / ${ms(p.lag.max)} | ${p.delivered.missing} | ${(fanOutCalls(p.dynamodb.calls) / Math.max(1, p.writes.acknowledged)).toFixed(2)} / ${p.dynamodb.perEvent.toFixed(2)} |`,
    );
  }
  for (const p of result.phases) {
    out();
    out(`${p.subscribers} subscriber(s): lag by when the write was acknowledged (p50 / p99 ms): ${p.lagBySlice.map((s) => `${s.fromSecond}s ${ms(s.lag.p50)}/${ms(s.lag.p99)}`).join(', ')}`);
    out(`  DynamoDB calls per event: ${describeCalls(p.dynamodb.calls, Math.max(1, p.writes.acknowledged), '')}`);
  }
}

function describeCalls(calls: Record<string, number>, per: number, unit: string): string {
  return Object.entries(calls)
    .sort(([, a], [, b]) => b - a)
    .map(([key, n]) => `${key} ${(n / per).toFixed(2)}${unit}`)
    .join(', ');
}
