/**
 * One phase of the load (the warm-up, a find-rate step, the hold): the open loop at one rate,
 * each arrival one operation of the mix, timed into the phase's own Recorder, with a progress
 * line every few seconds and the CPU each process used.
 */
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '../realtime/target.ts';
import type { Team } from './board.ts';
import type { ExpectedEvents } from './events.ts';
import type { MemorySampler } from './memory.ts';
import { MIX, pickOperation, type MixContext, type Outcome } from './mix.ts';
import { Recorder } from './recorder.ts';
import type { Runtime } from './runtime.ts';
import { emptyCounts, runOpenLoop, type Budget, type LoopCounts } from './scheduler.ts';
import type { Subscribers } from './subscribers.ts';
import type { TaskBook } from './tasks.ts';
import type { VerificationTrickle } from './verifications.ts';

/** Everything a phase works with, made once per run. */
export interface LoadRun {
  runtime: Runtime;
  team: Team;
  book: TaskBook;
  expected: ExpectedEvents;
  subscribers: Subscribers;
  trickle?: VerificationTrickle;
  sampler: MemorySampler;
  budget: Budget;
  random: () => number;
  signal: AbortSignal;
  maxInFlight: number;
  timeoutMs: number;
  progressSeconds: number;
  say: (line: string) => void;
}

/** CPU used during a phase, in cores (CPU seconds per wall second). */
export interface CpuShare {
  runtime: number;
  dynamodbLocal?: number;
  loadGenerator: number;
}

/** What one phase measured. */
export interface PhaseResult {
  name: string;
  targetRate: number;
  /** Wall time of the phase, from the first arrival to the last answer. */
  seconds: number;
  /** Requests answered per second. */
  achievedRate: number;
  loop: LoopCounts;
  recorder: Recorder;
  /** Errors of the verification trickle during this phase. */
  verificationErrors: number;
  cpu: CpuShare;
}

/** An arrival later than this (the load generator's own lag) counts as late. */
const LATE_MS = 20;

export async function runPhase(run: LoadRun, name: string, rate: number, seconds: number): Promise<PhaseResult> {
  const recorder = new Recorder();
  const mix: MixContext = { team: run.team, book: run.book, expected: run.expected, random: run.random };
  const send = async (dueAt: number) => {
    const op = pickOperation(run.random);
    let outcome: Outcome;
    try {
      outcome = await op.run(mix);
    } catch (error) {
      outcome = { ok: false, errorKind: 'exception in the load generator', errorMessage: error instanceof Error ? error.message : String(error) };
    }
    if ('skipped' in outcome) recorder.skip(op.name);
    else recorder.record(op.name, performance.now() - dueAt, outcome.ok ? undefined : { kind: outcome.errorKind ?? 'error', message: outcome.errorMessage });
  };

  run.sampler.phase = name;
  const cpu0 = await cpuNow(run.runtime);
  const verificationErrors0 = run.trickle?.recorder.errors ?? 0;
  const started = performance.now();
  const counts = emptyCounts();
  const progress = setInterval(() => run.say(progressLine(run, name, rate, seconds, recorder, counts, started)), run.progressSeconds * 1000);
  let loop: LoopCounts;
  try {
    loop = await runOpenLoop({ rate, seconds, maxInFlight: run.maxInFlight, lateMs: LATE_MS, budget: run.budget, settleMs: run.timeoutMs + 1_000, send, signal: run.signal, counts });
  } finally {
    clearInterval(progress);
  }
  const wall = (performance.now() - started) / 1000;
  const cpu1 = await cpuNow(run.runtime);
  const result: PhaseResult = {
    name,
    targetRate: rate,
    seconds: wall,
    achievedRate: recorder.requests / wall,
    loop,
    recorder,
    verificationErrors: (run.trickle?.recorder.errors ?? 0) - verificationErrors0,
    cpu: {
      runtime: (cpu1.runtime - cpu0.runtime) / wall,
      dynamodbLocal: cpu1.java !== undefined && cpu0.java !== undefined ? (cpu1.java - cpu0.java) / wall : undefined,
      loadGenerator: (cpu1.self - cpu0.self) / wall,
    },
  };
  run.say(progressLine(run, name, rate, seconds, recorder, counts, started, true));
  return result;
}

async function cpuNow(runtime: Runtime): Promise<{ runtime: number; java?: number; self: number }> {
  const own = process.cpuUsage();
  return {
    runtime: await cpuSeconds(runtime.pid).catch(() => NaN), // NaN once the runtime is gone: the run is ending anyway
    java: runtime.javaPid ? await cpuSeconds(runtime.javaPid).catch(() => undefined) : undefined,
    self: (own.user + own.system) / 1e6,
  };
}

const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/** `[hold 2:10/10:00] 98.7 req/s of 100 | p50 6.1 p99 45.2 max 130 ms | errors 0, dropped 0, late 0 | events 3120 acked, ≥3118 at each subscriber | runtime RSS 312 MiB heap 120 MiB | verified 4/4` */
function progressLine(run: LoadRun, name: string, rate: number, seconds: number, recorder: Recorder, counts: LoopCounts, started: number, done = false): string {
  const elapsed = (performance.now() - started) / 1000;
  const overall = recorder.overall();
  const memory = run.sampler.latest();
  const trickle = run.trickle ? ` | verified ${run.trickle.counts.verified}/${run.trickle.counts.started}` : '';
  return [
    `[${name} ${done ? 'done' : `${clock(elapsed)}/${clock(seconds)}`}] ${(recorder.requests / elapsed).toFixed(1)} req/s of ${rate}`,
    `p50 ${overall.p50.toFixed(1)} p99 ${overall.p99.toFixed(1)} max ${overall.max.toFixed(0)} ms`,
    `errors ${recorder.errors}, dropped ${counts.dropped}, late ${counts.late}`,
    `events ${run.expected.size} acked, ≥${run.subscribers.minDelivered()} at each subscriber`,
    `runtime RSS ${mib(memory?.rssBytes)} heap ${mib(memory?.heapUsedBytes)}${trickle}`,
  ].join(' | ');
}

/** The operations in the order the report lists them. */
export const OPERATION_ORDER = MIX.map((op) => op.name);
