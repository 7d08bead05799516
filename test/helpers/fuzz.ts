/**
 * What every bad-input fuzz suite (test/fuzz) shares: the seed and run counts, the invariants
 * every answer must keep, and a tally of what was tried and how it was refused.
 *
 * Environment:
 * - `FUZZ_SEED` (default 20261121): the fast-check seed; a failure prints the seed and path that
 *   replay it.
 * - `FUZZ_RUNS` (default 300): cases per property; properties whose cases cost more (a socket, an
 *   upload) run a stated fraction of it. `FUZZ_RUNS=20000` is the long run.
 * - `FUZZ_CONCURRENCY` (default 4): cases in flight at once against the suite's server.
 * - `FUZZ_TIMEOUT_MS` (default 10000): an answer slower than this is a hang.
 */
import fc from 'fast-check';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { expect } from 'vitest';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Cases for one property: `FUZZ_RUNS` times its weight, at least one. */
export function runs(weight = 1): number {
  return Math.max(1, Math.round(FUZZ_RUNS * weight));
}

const FUZZ_CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);

/** A test's time limit for `runs(weight)` cases: a minute, plus 100 ms a case, so the long run is not cut short. */
export function budgetMs(weight = 1): number {
  return 60_000 + runs(weight) * 100;
}

/**
 * Runs `check` on `runs(weight)` values drawn by fast-check from `arbitrary` with the fixed seed,
 * a few at a time. Not `fc.assert`: its cases run one after another (too slow for thousands of
 * round trips on two cores), and shrinking replays cases against a server whose state the
 * earlier cases changed, so it would not find a smaller reproduction anyway. A failure names
 * the case's index, its value and the seed, which regenerate it. Returns the number of cases.
 */
export async function forEachCase<T>(arbitrary: fc.Arbitrary<T>, weight: number, check: (value: T) => Promise<void>, concurrency = FUZZ_CONCURRENCY): Promise<number> {
  const values = fc.sample(arbitrary, { seed: FUZZ_SEED, numRuns: runs(weight) });
  let next = 0;
  let failure: Error | undefined;
  const worker = async () => {
    while (!failure && next < values.length) {
      const index = next++;
      inFlight.set(index, values[index]);
      try {
        await check(values[index]!);
      } catch (error) {
        const shown = fc.stringify(values[index]);
        failure ??= new Error(`case ${index} of ${values.length} (FUZZ_SEED=${FUZZ_SEED}) failed: ${(error as Error).message}\n  case: ${shown.length > 1500 ? `${shown.slice(0, 1500)}...` : shown}`);
      } finally {
        inFlight.delete(index);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, values.length) }, worker));
  if (failure) throw failure;
  return values.length;
}

/** The cases being answered now, by index, for {@link EventLoopWatch}. */
const inFlight = new Map<number, unknown>();

/** `kind #index: the start of the case`, for a hold worth naming (a case may be megabytes: only its start is read). */
function inFlightLabels(): string[] {
  return [...inFlight].map(([index, value]) => {
    const { kind, body } = (value ?? {}) as { kind?: unknown; body?: unknown };
    const start = typeof body === 'string' ? body.slice(0, 160) : fc.stringify(value).slice(0, 160);
    return typeof kind === 'string' ? `${kind} #${index}: ${start}` : `#${index}: ${start}`;
  });
}

/**
 * How long the event loop was held at once while a suite ran: the suites run the stack in this
 * process, so a request that computes synchronously shows here. The report names the cases that
 * were in flight when the longest hold ended (one of them held it). Garbage collection pauses the
 * loop too, and a test process that holds the stack, its clients and every case's answer has a
 * large heap: each hold is also counted without the collector's pauses inside it, which is the
 * part a request's own work can answer for. A figure to report, not an assertion (the machine is
 * shared; timings are noise-prone).
 */
export class EventLoopWatch {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly started = performance.now();
  private last = this.started;
  /**
   * Holds over {@link HOLD_WORTH_NAMING_MS}: when (performance time), how long, the cases in flight
   * as it ended, and whether one was in flight as it began: a hold that began with none is the
   * suite's own work (drawing the next property's cases, a megabyte each at most), not an answer.
   */
  private readonly holds: { start: number; end: number; ms: number; during: string[]; ownWork: boolean }[] = [];
  private casesAtLastTick = false;
  /** Every collector pause (performance time); read at the end, as the observer reports them after the fact. */
  private readonly pauses: { start: number; ms: number }[] = [];
  private readonly collector = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.pauses.push({ start: entry.startTime, ms: entry.duration });
  });
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly tickMs = 10) {
    this.histogram.enable();
    this.collector.observe({ entryTypes: ['gc'] });
    this.timer = setInterval(() => {
      const now = performance.now();
      const held = now - this.last - this.tickMs;
      if (held > HOLD_WORTH_NAMING_MS) this.holds.push({ start: this.last, end: now, ms: held, during: inFlightLabels(), ownWork: !this.casesAtLastTick });
      this.last = now;
      this.casesAtLastTick = inFlight.size > 0;
    }, tickMs);
    this.timer.unref();
  }

  /**
   * Stops watching; lines for the log: the three longest holds while cases were being answered,
   * without the collector's pauses in them, the longest collector pause, the loop's delay, and
   * the suite's own longest hold.
   */
  stop(): string {
    clearInterval(this.timer);
    this.collector.disconnect();
    this.histogram.disable();
    const counted = this.holds.map((hold) => {
      const gcMs = this.pauses.filter((p) => p.start >= hold.start && p.start < hold.end).reduce((sum, p) => sum + p.ms, 0);
      return { ...hold, gcMs, workMs: hold.ms - gcMs };
    });
    counted.sort((a, b) => b.workMs - a.workMs);
    const longest = counted.filter((h) => !h.ownWork).slice(0, 3);
    const own = counted.find((h) => h.ownWork);
    const at = (end: number) => `${((end - this.started) / 1000).toFixed(1)} s`;
    const named = (during: string[]) => during.join(' | ') || 'no case';
    const p99 = this.histogram.percentile(99) / 1e6;
    const pause = this.pauses.reduce((max, p) => Math.max(max, p.ms), 0);
    const holds = longest.length
      ? longest.map((h, i) => `  ${i + 1}. ${h.workMs.toFixed(0)} ms (+ ${h.gcMs.toFixed(0)} ms garbage collection) at ${at(h.end)}, during: ${named(h.during)}`).join('\n')
      : `  none over ${HOLD_WORTH_NAMING_MS} ms`;
    const suite = own ? `; the suite's own longest (no case in flight as it began) ${own.workMs.toFixed(0)} ms at ${at(own.end)}` : '';
    return `longest event-loop holds while cases were answered, without garbage collection:\n${holds}\nlongest collector pause ${pause.toFixed(0)} ms; loop delay p99 ${p99.toFixed(0)} ms, max ${(this.histogram.max / 1e6).toFixed(0)} ms${suite}`;
  }
}

/** Shorter holds are not named in the report (the machine's own jitter). */
const HOLD_WORTH_NAMING_MS = 20;

/** How long one answer may take before the case counts as a hang. Generous: the machine is shared. */
export const ANSWER_TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 10_000);

/**
 * The errorTypes that name a refusal a client can act on. Anything else in an answer to bad
 * input (InternalFailure, a resolver's `Code` error, `ExecutionError`, a raw `DynamoDB:...` or
 * `Lambda:...` type) means the server failed rather than refused, and fails the case.
 */
export const CLIENT_ERROR_TYPES = new Set([
  'ValidationError',
  'Unauthorized',
  'UnauthorizedException',
  'ConflictError',
  'NotFound',
  'RateLimited',
  'InvalidImage',
  'MalformedHttpRequestException',
  'BadRequestException',
  'PayloadTooLargeException',
  'UnsupportedOperation',
  'LimitExceededError',
  'DuplicatedOperationError',
]);

/**
 * The refusals AppSync sends without an errorType: a document that does not parse or validate
 * ("Invalid Syntax : ...", "Validation error of type ...") and variables that do not fit (past 50
 * of them, one closing "Too many errors processing variables" entry).
 */
const APPSYNC_UNTYPED = /^(Validation error of type \w+: |Invalid Syntax : |Variable "\$|Too many errors processing variables)/;

/** Text that betrays the server's insides: a stack frame, a source file, a local path. */
const LEAK = /\n\s+at |\bat \S+ \(|\.[cm]?[jt]s:\d+|node_modules|file:\/\/|\/work\/|\/home\/|\/tmp\/|TypeError|ReferenceError|RangeError|Maximum call stack|Cannot read propert|undefined is not|is not a function/;

interface GraphQLErrorEntry {
  errorType?: unknown;
  message?: unknown;
}

/**
 * Checks the invariants of one GraphQL answer to fuzzed input: a JSON object, never 5xx, every
 * error a clear refusal (a known errorType, a message without internals). Returns the errorTypes
 * (empty when accepted). `what` describes the case in the failure message.
 */
export function expectClearAnswer(answer: { status: number; body: unknown }, what: string): string[] {
  const where = `${what}\n  -> HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 600)}`;
  expect(answer.status, `5xx for ${where}`).toBeLessThan(500);
  expect(answer.body, `no JSON object for ${where}`).toBeTypeOf('object');
  const errors = ((answer.body as { errors?: GraphQLErrorEntry[] } | null)?.errors ?? []) as GraphQLErrorEntry[];
  if (answer.status >= 400) expect(errors.length, `a ${answer.status} without errors for ${where}`).toBeGreaterThan(0);
  return errors.map((error) => expectClearError(error, where));
}

/** One error entry (HTTP or real-time): a known errorType, a plain message; returns the errorType. */
export function expectClearError(error: GraphQLErrorEntry, where: string): string {
  expect(error.message, `an error without a message: ${where}`).toBeTypeOf('string');
  expect((error.message as string).length, `an empty message: ${where}`).toBeGreaterThan(0);
  expect(error.message as string, `internals in a message: ${where}`).not.toMatch(LEAK);
  if (error.errorType === undefined && APPSYNC_UNTYPED.test(error.message as string)) return 'validation (no errorType, as AppSync)';
  expect(CLIENT_ERROR_TYPES.has(error.errorType as string), `errorType ${String(error.errorType)} is not a clear refusal: ${where}`).toBe(true);
  return error.errorType as string;
}

/** POSTs a body to the GraphQL endpoint; a missing answer within {@link ANSWER_TIMEOUT_MS} fails as a hang. */
export async function post(url: string, body: string | Uint8Array, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
  } catch (error) {
    const { name, message, cause } = error as Error & { cause?: { code?: string; message?: string } };
    if (name === 'TimeoutError') throw new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms (a hang)`);
    throw new Error(`the connection failed after ${Date.now() - started} ms: ${message} (${cause?.code ?? ''} ${cause?.message ?? ''})`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = `<not JSON> ${text.slice(0, 200)}`;
  }
  return { status: response.status, body: parsed };
}

/** Counts what a suite tried and how each case ended, for the figures in RELIABILITY.md. */
export class Tally {
  private cases = 0;
  private accepted = 0;
  private readonly rejections = new Map<string, number>();
  private readonly started = Date.now();

  constructor(private readonly suite: string) {}

  /** One case: the errorTypes it was refused with (the first counts), or none when accepted. */
  record(errorTypes: readonly string[]): void {
    this.cases += 1;
    if (errorTypes.length === 0) this.accepted += 1;
    else this.rejections.set(errorTypes[0]!, (this.rejections.get(errorTypes[0]!) ?? 0) + 1);
  }

  get total(): number {
    return this.cases;
  }

  /** Prints one line: cases, time, accepted, refusals by errorType. */
  print(): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const refused = [...this.rejections].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${type} ${n}`).join(', ');
    console.log(`[fuzz] ${this.suite}: ${this.cases} cases (seed ${FUZZ_SEED}, FUZZ_RUNS ${runs()}) in ${seconds} s; accepted ${this.accepted}; refused: ${refused || 'none'}`);
  }
}
