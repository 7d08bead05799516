/** The human-readable report of a bench/realtime run (Markdown tables on stdout). */
import type { LatencyResult, ThroughputResult } from './delivery.ts';
import type { MemoryResult } from './memory.ts';
import type { Spread } from './stats.ts';
import type { StreamResult } from './stream.ts';

/** The goals the issue sets, on a 2-core machine. */
export const GOALS = { p99Ms: 100, deliveriesPerSecond: 20_000, bytesPerConnection: 64 * 1024 };

/** Everything one run measured; what `--json` prints. */
export interface RealtimeResults {
  meta: {
    date: string;
    target: string;
    graphqlUrl: string;
    subscriberAuth: string;
    publishAuth: string;
    node: string;
    cpus: number;
    cpuModel: string;
    openFilesLimit: string;
    notes: string[];
  };
  latency: LatencyResult[];
  throughput?: ThroughputResult;
  memory?: MemoryResult;
  stream?: StreamResult;
  /** Figures not measured, with why. */
  skipped: { figure: string; reason: string }[];
  goals: { name: string; measured: string; met: boolean | undefined }[];
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const kib = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? '–' : `${(bytes / 1024).toFixed(1)} KiB`);
const spreadCells = (s: Spread) => `${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)}`;

/** The goals, judged from the figures (undefined when the figure was not measured). */
export function judgeGoals(results: Pick<RealtimeResults, 'latency' | 'throughput' | 'memory'>): RealtimeResults['goals'] {
  const at1000 = results.latency.find((l) => l.subscribers === 1000);
  const perConnection = results.memory?.perConnection.find((p) => p.connections === 1000);
  // RSS deltas are noisy (V8 keeps or returns free pages); judge on the larger of the two estimates.
  const memory = perConnection ? Math.max(perConnection.rssBytes, perConnection.heapBytes ?? -Infinity, perConnection.liveBytes ?? -Infinity) : undefined;
  return [
    {
      name: `p99 mutation response -> delivery, 1,000 subscribers < ${GOALS.p99Ms} ms (the issue's definition)`,
      measured: at1000 ? `${ms(at1000.fromResponse.p99)} ms` : 'not measured',
      met: at1000 ? at1000.fromResponse.p99 < GOALS.p99Ms && at1000.missing === 0 : undefined,
    },
    {
      name: `the same, timed from the mutation request instead (stricter: includes the mutation itself)`,
      measured: at1000 ? `${ms(at1000.fromRequest.p99)} ms` : 'not measured',
      met: at1000 ? at1000.fromRequest.p99 < GOALS.p99Ms && at1000.missing === 0 : undefined,
    },
    {
      name: `sustained deliveries/s >= ${int(GOALS.deliveriesPerSecond)}`,
      measured: results.throughput ? `${int(results.throughput.deliveriesPerSecond)}/s` : 'not measured',
      met: results.throughput ? results.throughput.deliveriesPerSecond >= GOALS.deliveriesPerSecond : undefined,
    },
    {
      name: `memory per idle connection < ${GOALS.bytesPerConnection / 1024} KiB`,
      measured: perConnection
        ? `${kib(perConnection.rssBytes)} (RSS), ${kib(perConnection.heapBytes)} (V8 heap), ${kib(perConnection.liveBytes)} (heap + non-V8 RSS)`
        : 'not measured',
      met: memory === undefined ? undefined : memory < GOALS.bytesPerConnection,
    },
  ];
}

/** The report as Markdown. */
export function formatReport(results: RealtimeResults): string {
  const lines: string[] = [];
  const { meta } = results;
  lines.push(
    `bench/realtime — ${meta.date}`,
    `target: ${meta.target} (${meta.graphqlUrl}); subscribers: ${meta.subscriberAuth}; publisher: ${meta.publishAuth}`
  );
  lines.push(`node ${meta.node}, ${meta.cpus} CPU(s) ${meta.cpuModel}, ulimit -n ${meta.openFilesLimit}`, '');

  if (results.latency.length) {
    lines.push('(1) mutation response -> delivery at each subscriber (ms; negative = the data message was read before the HTTP response)', '');
    lines.push('| subscribers | events | deliveries | missing | dup | p50 | p99 | max | before response | mutation round trip p50 | p99 |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const l of results.latency) {
      lines.push(
        `| ${int(l.subscribers)} | ${l.events} | ${int(l.deliveries)} | ${l.missing} | ${l.duplicates} | ${spreadCells(l.fromResponse)} | ${(
          l.beforeResponse * 100
        ).toFixed(0)} % | ${ms(l.roundTrip.p50)} | ${ms(l.roundTrip.p99)} |`
      );
    }
    lines.push(
      '',
      '(1b) the same deliveries timed from the mutation request (ms): each delivery; per event, the last subscriber; per event, first to last subscriber',
      ''
    );
    lines.push('| subscribers | request -> delivery p50 | p99 | max | request -> last subscriber p50 | p99 | max | first -> last subscriber p50 | p99 | max |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const l of results.latency) {
      lines.push(`| ${int(l.subscribers)} | ${spreadCells(l.fromRequest)} | ${spreadCells(l.lastFromRequest)} | ${spreadCells(l.firstToLast)} |`);
    }
  }

  const t = results.throughput;
  if (t) {
    lines.push('', `(2) sustained deliveries: ${int(t.subscribers)} subscribers, ${t.publishers} publishers flat out for ${t.seconds} s`, '');
    lines.push(
      '| events published | events/s | deliveries/s | per second min / median / max | missing | dup | drain after last response | publish round trip p50 | p99 | publish errors |'
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    lines.push(
      `| ${int(t.published)} | ${t.eventsPerSecond.toFixed(1)} | **${int(t.deliveriesPerSecond)}** | ${int(t.perSecond.min)} / ${int(
        t.perSecond.median
      )} / ${int(t.perSecond.max)} | ${int(t.missing)} | ${int(t.duplicates)} | ${ms(t.drainMs)} ms | ${ms(t.roundTrip.p50)} | ${ms(t.roundTrip.p99)} | ${
        t.publishErrors
      } |`
    );
    if (t.cpu) {
      const server = t.cpu.server === undefined ? 'not measured' : `${t.cpu.server.toFixed(2)} cores`;
      lines.push('', `CPU during (2), including the drain: server process ${server}, load generator ${t.cpu.loadGenerator.toFixed(2)} cores`);
    }
  }

  const m = results.memory;
  if (m) {
    lines.push('', `(3) server memory per idle connection (VmRSS${m.gcForced ? ' after a forced GC' : ', no forced GC'})`, '');
    const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
    lines.push(
      '| connections | server RSS | V8 heap used | V8 heap committed | RSS per connection | V8 heap per connection | heap + non-V8 RSS per connection |',
      '|---:|---:|---:|---:|---:|---:|---:|'
    );
    for (const r of m.readings) {
      const per = m.perConnection.find((p) => p.connections === r.connections);
      lines.push(
        `| ${int(r.connections)} | ${mib(r.rssBytes)} | ${mib(r.heapUsedBytes)} | ${mib(r.heapTotalBytes)} | ${per ? kib(per.rssBytes) : ''} | ${
          per ? kib(per.heapBytes) : ''
        } | ${per ? kib(per.liveBytes) : ''} |`
      );
    }
  }

  const s = results.stream;
  if (s) {
    lines.push('', '(4) stream path: createTask response -> TASK_CREATED at the subscriber (ms)', '');
    lines.push(
      '| samples | timeouts | min | p50 | p99 | max | request -> delivery p50 | p99 | createTask round trip p50 |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
    );
    lines.push(
      `| ${s.samples} | ${s.timeouts} | ${ms(s.fromResponse.min)} | ${spreadCells(s.fromResponse)} | ${ms(s.fromRequest.p50)} | ${ms(s.fromRequest.p99)} | ${ms(
        s.roundTrip.p50
      )} |`
    );
  }

  for (const skipped of results.skipped) lines.push('', `skipped: ${skipped.figure}: ${skipped.reason}`);
  lines.push('', 'goals:', '');
  for (const goal of results.goals)
    lines.push(`- ${goal.name}: ${goal.met === undefined ? 'not measured' : `${goal.measured} — ${goal.met ? 'met' : 'MISSED'}`}`);
  for (const note of meta.notes) lines.push(`- note: ${note}`);
  return lines.join('\n') + '\n';
}
