/**
 * bench/board's printed report: every cell with its CPU cost and the floor that cost sets, each API
 * cell's p99 over its raw peer's, and the two boards' write-to-event times.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';

/** One measured cell. */
export interface Row {
  name: string;
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  errors: number;
  /** CPU time per request: this process (runtime and clients) and DynamoDB Local's Java. */
  cpuNodeMs: number;
  cpuJavaMs: number;
}

/** The figures of a run and its shape. */
export interface BoardBenchResults {
  rows: Row[];
  /** Board 1's write-to-event times, with board 0 idle and with board 0 written. */
  events: Row[];
  boardCount: number;
  tasksPerBoard: number;
  userCount: number;
  concurrency: number;
}

/** The report as printed, Markdown tables that BENCHMARKS.md takes as they are. */
export function formatReport({ rows, events, boardCount, tasksPerBoard, userCount, concurrency }: BoardBenchResults): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '',
    `bench/board — ${new Date().toISOString()} — ${availableParallelism()} CPU(s), ${cpu}, Node ${process.version}`,
    `${boardCount} boards x ${tasksPerBoard} tasks, ${userCount} users, ${concurrency} concurrent clients (client c on board c mod ${boardCount}); DynamoDB Local (in memory) and the runtime on this machine; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| operation | requests | errors | p50 ms | p99 ms | mean ms | CPU/request: here + Java ms | floor of the mean ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const floor = (concurrency * (r.cpuNodeMs + r.cpuJavaMs)) / availableParallelism();
      return `| ${r.name} | ${r.requests} | ${r.errors} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.mean.toFixed(2)} | ${r.cpuNodeMs.toFixed(2)} + ${r.cpuJavaMs.toFixed(2)} | ${floor.toFixed(1)} |`;
    }),
    '',
    `floor of the mean = ${concurrency} clients x CPU per request / ${availableParallelism()} cores: the least mean latency ${concurrency} back-to-back clients can see once the cores are the limit.`,
    '',
    ...ratios(rows),
    '',
    '| one board written, another timed (write to its event in catch-up) | writes | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...events.map((e) => `| ${e.name} | ${e.requests} | ${e.p50.toFixed(1)} | ${e.p99.toFixed(1)} |`),
    '',
  ];
  return lines.join('\n');
}

/** Each API cell's p99 over its raw peer's (the goal: at most 1.3 for single-task operations and pages). */
function ratios(rows: Row[]): string[] {
  const row = (name: string) => rows.find((r) => r.name === name)!;
  const pairs: [string, string][] = [
    ['tasks(boardId, filter: { status }) page of 50', 'peer: Query byColumn (raw SDK), page of 50'],
    ['updateTask', 'peer: UpdateItem of a task, conditional (raw SDK)'],
    ['updateTask', "peer: updateTask's calls: GetItem + TransactWriteItems of 4 (raw SDK)"],
    ['moveTasks (10 tasks)', 'peer: TransactWriteItems of 10 conditional updates (raw SDK)'],
    ['boardStats(boardId)', "peer: GetItem of a board's counters (raw SDK)"],
  ];
  return ['| operation | raw peer | p99 / raw peer p99 |', '|---|---|---:|', ...pairs.map(([api, peer]) => `| ${api} | ${peer.replace(/^peer: /, '')} | ${(row(api).p99 / row(peer).p99).toFixed(2)} |`)];
}
