/**
 * The results of a run, as data (`--json`) and as the Markdown report on stdout: the rate held,
 * requests by operation, errors by kind, memory, events published against delivered, and the
 * verifications; then the verdict the exit code follows.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { spread, type Spread } from '../realtime/stats.ts';
import type { PublishedAudit } from './events.ts';
import type { Step } from './find-rate.ts';
import { slopePerMinute, type MemorySample } from './memory.ts';
import type { LoadOptions } from './options.ts';
import { OPERATION_ORDER, type CpuShare, type PhaseResult } from './phase.ts';
import type { ErrorKind, OperationFigures } from './recorder.ts';
import type { LoopCounts } from './scheduler.ts';
import type { SubscriberAudit } from './subscribers.ts';
import type { VerificationCounts } from './verifications.ts';

/** A heap that grows less than this (after GC, over the hold) is called flat. A judgement aid, not part of the exit code. */
export const FLAT_MIB_PER_MINUTE = 1;

/** One phase as plain data. */
export interface PhaseSummary {
  name: string;
  targetRate: number;
  seconds: number;
  achievedRate: number;
  requests: number;
  errors: number;
  overall: Spread;
  operations: OperationFigures[];
  errorKinds: ErrorKind[];
  loop: LoopCounts;
  verificationErrors: number;
  cpu: CpuShare;
}

export function summarizePhase(phase: PhaseResult): PhaseSummary {
  return {
    name: phase.name,
    targetRate: phase.targetRate,
    seconds: phase.seconds,
    achievedRate: phase.achievedRate,
    requests: phase.recorder.requests,
    errors: phase.recorder.errors,
    overall: phase.recorder.overall(),
    operations: phase.recorder.byOperation(OPERATION_ORDER),
    errorKinds: phase.recorder.errorKinds(),
    loop: phase.loop,
    verificationErrors: phase.verificationErrors,
    cpu: phase.cpu,
  };
}

/** Everything a run measured. */
export interface LoadResults {
  meta: { date: string; node: string; cpus: number; cpuModel: string; loadAverageAtEnd: number[]; graphqlUrl: string; notes: string[] };
  options: LoadOptions;
  setup: { tasks: number; users: number; subscribers: number; seedSeconds: number; settleSeconds: number };
  steps: (PhaseSummary & { failures: string[] })[];
  /** Undefined with --rate, or when no step passed. */
  foundRate?: number;
  hold?: PhaseSummary;
  verifications?: { counts: Omit<VerificationCounts, 'durations'>; flow: Spread; operations: OperationFigures[]; errorKinds: ErrorKind[] };
  memory: { samples: MemorySample[]; start?: MemorySample; end?: MemorySample; heapSlopeMiBPerMinute: number; rssSlopeMiBPerMinute: number };
  events: {
    published?: PublishedAudit;
    subscribers: SubscriberAudit[];
    drained: boolean;
    /** How long the drain at the end waited. */
    drainSeconds: number;
    unexpectedMessages: { count: number; examples: string[] };
    deadLetters: { file: string; lines: number }[];
  };
  verdict: { errors: number; eventsOk: boolean; p99Ok?: boolean; memoryFlat?: boolean; failures: string[] };
}

/** Builds the memory section: start and end are the hold's first and last after-GC readings. */
export function memorySection(samples: MemorySample[]): LoadResults['memory'] {
  const hold = samples.filter((s) => s.phase === 'hold' || s.phase === 'end');
  const afterGc = hold.filter((s) => s.afterGc);
  const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 2 ** 20);
  return {
    samples,
    start: afterGc[0],
    end: afterGc.at(-1),
    heapSlopeMiBPerMinute: slopePerMinute(afterGc, (s) => mib(s.heapUsedBytes)),
    rssSlopeMiBPerMinute: slopePerMinute(hold.filter((s) => !s.afterGc), (s) => mib(s.rssBytes)),
  };
}

/** Judges the run: errors and events decide the exit code; p99 and memory are reported. */
export function judge(results: Omit<LoadResults, 'verdict'>, p99GoalMs: number, cutShort: boolean): LoadResults['verdict'] {
  const failures: string[] = [];
  if (cutShort) failures.push('the run was cut short (see the notes)');
  const phases = [...results.steps, ...(results.hold ? [results.hold] : [])];
  const boardErrors = phases.reduce((n, p) => n + p.errors, 0);
  const verificationErrors = results.verifications?.errorKinds.reduce((n, k) => n + k.count, 0) ?? 0;
  const subscriberTrouble = results.events.subscribers.reduce((n, s) => n + s.closes, 0) + results.events.unexpectedMessages.count;
  const errors = boardErrors + verificationErrors + subscriberTrouble;
  if (boardErrors) failures.push(`${boardErrors} board request error(s)`);
  if (verificationErrors) failures.push(`${verificationErrors} verification error(s)`);
  if (subscriberTrouble) failures.push(`${subscriberTrouble} subscriber connection problem(s)`);
  const published = results.events.published;
  const lost = results.events.subscribers.reduce((n, s) => n + s.missing.length, 0);
  const doubled = results.events.subscribers.reduce((n, s) => n + s.duplicates.length, 0);
  if (!published) failures.push('the server event log could not be read');
  else {
    if (published.notPublished.length) failures.push(`${published.notPublished.length} acknowledged write(s) never published`);
    if (published.publishedTwice.length) failures.push(`${published.publishedTwice.length} write(s) published twice`);
  }
  if (lost) failures.push(`${lost} event deliveries missing`);
  if (doubled) failures.push(`${doubled} duplicate deliveries`);
  const deadLetters = results.events.deadLetters.reduce((n, d) => n + d.lines, 0);
  if (deadLetters) failures.push(`${deadLetters} dead letter(s) in the fan-out`);
  if (results.hold?.loop.dropped) failures.push(`${results.hold.loop.dropped} arrivals dropped (max in flight)`);
  const eventsOk = Boolean(published) && !published!.notPublished.length && !published!.publishedTwice.length && !lost && !doubled && !deadLetters;
  const p99Ok = results.hold ? results.hold.overall.p99 < p99GoalMs : undefined;
  // Two readings make a line through any noise: a verdict needs at least three (a hold of 2+ minutes at --gc-every 60).
  const readings = results.memory.samples.filter((s) => s.afterGc && (s.phase === 'hold' || s.phase === 'end')).length;
  const slope = results.memory.heapSlopeMiBPerMinute;
  return { errors, eventsOk, p99Ok, memoryFlat: readings >= 3 && Number.isFinite(slope) ? slope < FLAT_MIB_PER_MINUTE : undefined, failures };
}

export function meta(graphqlUrl: string, notes: string[]): LoadResults['meta'] {
  return { date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', loadAverageAtEnd: loadavg(), graphqlUrl, notes };
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
const signed = (n: number, unit: string) => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(2)} ${unit}` : '–');
const cores = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));
const list = (values: number[], max = 20) => (values.length === 0 ? 'none' : values.slice(0, max).join(', ') + (values.length > max ? `, … (${values.length} in all)` : ''));
const yes = (ok: boolean | undefined) => (ok === undefined ? 'not judged' : ok ? 'met' : '**missed**');

/** The Markdown report. */
export function formatReport(r: LoadResults): string {
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  line(`## bench/load — ${r.meta.date}`);
  line();
  line(`${r.meta.cpus} CPU(s) (${r.meta.cpuModel}), Node ${r.meta.node}, load average at the end ${r.meta.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' / ')}. ` +
    `Runtime: \`securetask start\` as a child process at ${r.meta.graphqlUrl}. Board: ${int(r.setup.tasks)} tasks, ${r.setup.users} users (1 admin), ` +
    `seeded in ${r.setup.seedSeconds.toFixed(0)} s, fan-out settled in ${r.setup.settleSeconds.toFixed(0)} s. ${r.setup.subscribers} onTaskEvent subscriber(s) held open; ` +
    (r.options.verifyEverySeconds > 0 ? `a verification every ${r.options.verifyEverySeconds} s.` : 'no verifications.'));
  for (const note of r.meta.notes) line(`\n> ${note}`);
  line();

  if (r.steps.length) {
    line(`### Finding the rate (${r.options.stepSeconds} s steps; pass: p99 < ${r.options.p99GoalMs} ms, no errors, nothing dropped, fan-out keeping up)`);
    line();
    line('| target req/s | answered req/s | p50 ms | p99 ms | max ms | errors | dropped | late | runtime CPU | DynamoDB Local CPU | load gen. CPU | verdict |');
    line('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const s of r.steps) {
      line(`| ${s.targetRate} | ${s.achievedRate.toFixed(1)} | ${ms(s.overall.p50)} | ${ms(s.overall.p99)} | ${ms(s.overall.max)} | ${s.errors + s.verificationErrors} | ${s.loop.dropped} | ${s.loop.late} | ${cores(s.cpu.runtime)} | ${cores(s.cpu.dynamodbLocal)} | ${cores(s.cpu.loadGenerator)} | ${s.failures.length ? s.failures.join('; ') : 'pass'} |`);
    }
    line();
    line(r.foundRate === undefined ? '**No step met the goal**: the hold ran at the first step\'s rate.' : `Highest passing rate: **${r.foundRate} req/s**.`);
    line();
  }

  const h = r.hold;
  if (h) {
    line(`### Holding ${h.targetRate} req/s for ${(h.seconds / 60).toFixed(1)} min`);
    line();
    line(`Answered ${h.achievedRate.toFixed(1)} req/s (${int(h.requests)} requests); p50 ${ms(h.overall.p50)} ms, **p99 ${ms(h.overall.p99)} ms**, max ${ms(h.overall.max)} ms; ` +
      `errors **${h.errors}**; dropped ${h.loop.dropped}, sent late ${h.loop.late}, unanswered ${h.loop.abandoned}, peak in flight ${h.loop.peakInFlight}` +
      `${h.loop.budgetExhausted ? ' (stopped by --max-requests)' : ''}. CPU in cores: runtime ${cores(h.cpu.runtime)}, DynamoDB Local ${cores(h.cpu.dynamodbLocal)}, load generator ${cores(h.cpu.loadGenerator)}.`);
    line();
    line('| operation | requests | p50 ms | p99 ms | max ms | errors | skipped (no idle task) |');
    line('|---|---:|---:|---:|---:|---:|---:|');
    for (const op of h.operations) line(`| ${op.name} | ${int(op.requests)} | ${ms(op.latency.p50)} | ${ms(op.latency.p99)} | ${ms(op.latency.max)} | ${op.errors} | ${op.skipped} |`);
    line(`| **all** | ${int(h.requests)} | ${ms(h.overall.p50)} | ${ms(h.overall.p99)} | ${ms(h.overall.max)} | ${h.errors} | |`);
    line();
  }

  const kinds = new Map<string, ErrorKind>();
  for (const phase of [...r.steps, ...(h ? [h] : [])]) for (const k of phase.errorKinds) {
    const known = kinds.get(k.kind);
    if (known) known.count += k.count;
    else kinds.set(k.kind, { ...k });
  }
  line('### Errors by kind (goal: none)');
  line();
  if (kinds.size === 0 && !r.verifications?.errorKinds.length) line('None.');
  else {
    line('| where | kind | count | first example |');
    line('|---|---|---:|---|');
    for (const k of kinds.values()) line(`| board | ${k.kind} | ${k.count} | ${k.example.replaceAll('|', '\\|')} |`);
    for (const k of r.verifications?.errorKinds ?? []) line(`| verification | ${k.kind} | ${k.count} | ${k.example.replaceAll('|', '\\|')} |`);
  }
  line();

  const m = r.memory;
  line('### Runtime memory (goal: flat)');
  line();
  line(`After forced GCs, at the start and end of the hold: V8 heap used ${mib(m.start?.heapUsedBytes)} → ${mib(m.end?.heapUsedBytes)}, RSS ${mib(m.start?.rssBytes)} → ${mib(m.end?.rssBytes)}` +
    `; DynamoDB Local RSS ${mib(m.start?.javaRssBytes)} → ${mib(m.end?.javaRssBytes)}.`);
  line(`Slope over the hold: heap after GC **${signed(m.heapSlopeMiBPerMinute, 'MiB/min')}** (${m.samples.filter((s) => s.afterGc && (s.phase === 'hold' || s.phase === 'end')).length} readings; ` +
    `flat means under ${FLAT_MIB_PER_MINUTE} MiB/min: ${yes(r.verdict.memoryFlat)}), RSS ${signed(m.rssSlopeMiBPerMinute, 'MiB/min')} (plain readings every ${r.options.sampleSeconds} s).`);
  line();
  const gcReadings = m.samples.filter((s) => s.afterGc);
  if (gcReadings.length) {
    line('| at (s) | phase | heap used after GC | RSS | DynamoDB Local RSS |');
    line('|---:|---|---:|---:|---:|');
    for (const s of gcReadings) line(`| ${s.at.toFixed(0)} | ${s.phase} | ${mib(s.heapUsedBytes)} | ${mib(s.rssBytes)} | ${mib(s.javaRssBytes)} |`);
    line();
  }

  const e = r.events;
  line('### Task events: published vs delivered (goal: equal)');
  line();
  if (e.published) {
    line(`Acknowledged task writes (each one event) since the subscribers opened: **${int(e.published.expected)}**; events in the server's log (\`taskEvents\`) since then: **${int(e.published.published)}**` +
      ` (never published: ${e.published.notPublished.length}; published twice: ${e.published.publishedTwice.length}; not explained by an acknowledged write: ${e.published.unexplained.length}${
        e.published.unexplained.length ? `, sequences ${list(e.published.unexplained.map((u) => u.sequence))}` : ''
      }).`);
  } else line('The server\'s event log could not be read.');
  if (e.published?.notPublished.length) line(`Acknowledged but never published (task@version): ${e.published.notPublished.slice(0, 20).join(', ')}${e.published.notPublished.length > 20 ? ', …' : ''}.`);
  line(`Drain at the end (${e.drainSeconds.toFixed(1)} s): ${e.drained ? 'every subscriber had every acknowledged event' : '**not every subscriber caught up**'}. Dead letters in the fan-out: ${e.deadLetters.length ? e.deadLetters.map((d) => `${d.file} (${d.lines})`).join(', ') : 'none'}.` +
    `${e.unexpectedMessages.count ? ` Unexpected WebSocket messages: ${e.unexpectedMessages.count}, e.g. \`${e.unexpectedMessages.examples[0]}\`.` : ''}`);
  line();
  line('| subscriber | signed in as | delivered | missing (sequences) | duplicates (sequences) | not in the log | connection closes | write → delivery p50 / p99 / max ms |');
  line('|---:|---|---:|---|---|---:|---:|---|');
  for (const s of e.subscribers) {
    line(`| ${s.index} | ${s.user} | ${int(s.delivered)} | ${s.missing.length} (${list(s.missing)}) | ${s.duplicates.length} (${list(s.duplicates)}) | ${s.unknown} | ${s.closes} | ${ms(s.lag.p50)} / ${ms(s.lag.p99)} / ${ms(s.lag.max)} |`);
  }
  line();

  const v = r.verifications;
  if (v) {
    line('### Verifications');
    line();
    line(`Started ${v.counts.started}, decided ${v.counts.decided}, VERIFIED and signed in ${v.counts.verified} (goal: all), skipped while the previous one ran ${v.counts.skipped}. ` +
      `Whole flow (invite, start, 2 uploads, submit, \`me\`): p50 ${ms(v.flow.p50)} ms, max ${ms(v.flow.max)} ms.`);
    line();
    line('| step | requests | p50 ms | p99 ms | max ms | errors |');
    line('|---|---:|---:|---:|---:|---:|');
    for (const op of v.operations) line(`| ${op.name} | ${op.requests} | ${ms(op.latency.p50)} | ${ms(op.latency.p99)} | ${ms(op.latency.max)} | ${op.errors} |`);
    line();
  }

  line('### Verdict');
  line();
  line(`| goal | measured | |`);
  line('|---|---|---|');
  if (h) line(`| p99 < ${r.options.p99GoalMs} ms at the held rate (${h.targetRate} req/s) | ${ms(h.overall.p99)} ms | ${yes(r.verdict.p99Ok)} |`);
  line(`| errors: none | ${r.verdict.errors} | ${yes(r.verdict.errors === 0)} |`);
  line(`| memory: flat | heap after GC ${signed(m.heapSlopeMiBPerMinute, 'MiB/min')} | ${yes(r.verdict.memoryFlat)} |`);
  line(`| events published = delivered to each subscriber | ${e.subscribers.map((s) => `${s.delivered}`).join(' / ')} of ${e.published?.published ?? '?'} | ${yes(r.verdict.eventsOk)} |`);
  line();
  line(r.verdict.failures.length ? `Exit code 1: ${r.verdict.failures.join('; ')}.` : 'Exit code 0.');
  return out.join('\n') + '\n';
}

/** The verification section from the trickle's figures. */
export function verificationSection(counts: VerificationCounts, operations: OperationFigures[], errorKinds: ErrorKind[]): LoadResults['verifications'] {
  const { durations, ...rest } = counts;
  return { counts: rest, flow: spread(durations), operations, errorKinds };
}
