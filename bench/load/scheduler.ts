/**
 * The open loop: arrivals at a fixed rate, whether or not earlier requests have been answered,
 * as people and dashboards arrive. The k-th arrival is due at start + k / rate; its latency is
 * measured by the caller from that due time, so time spent waiting (in this process, in a
 * socket queue, in the server) counts, and a slow server cannot slow the arrivals down
 * (no coordinated omission).
 *
 * Bounded: at most `maxInFlight` requests are out; an arrival beyond that is dropped and counted,
 * not queued without end. An arrival sent more than `lateMs` after it was due (this process
 * could not keep up) is counted as late; it is still sent and still timed from its due time.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the scheduler did in one phase. */
export interface LoopCounts {
  /** Arrivals that came due. */
  due: number;
  sent: number;
  /** Arrivals not sent because maxInFlight requests were out. */
  dropped: number;
  /** Sent more than lateMs after they were due. */
  late: number;
  /** The most requests out at once. */
  peakInFlight: number;
  /** The phase ended early because the run's request budget ran out. */
  budgetExhausted: boolean;
  /** Requests still out when the phase gave up waiting for them. */
  abandoned: number;
}

/** Requests left for the whole run, shared by its phases (the hard cap). */
export interface Budget {
  left: number;
}

export interface OpenLoopOptions {
  rate: number;
  seconds: number;
  maxInFlight: number;
  lateMs: number;
  budget: Budget;
  /** How long to wait for requests still out after the last arrival. */
  settleMs: number;
  /** Sends one arrival; must not reject. */
  send: (dueAt: number) => Promise<void>;
  /** Set to stop the phase early (Ctrl-C, the run's time cap). */
  signal?: AbortSignal;
  /** Filled in as the phase goes (progress lines read it); a fresh one when left out. */
  counts?: LoopCounts;
}

/** Counts at zero. */
export function emptyCounts(): LoopCounts {
  return { due: 0, sent: 0, dropped: 0, late: 0, peakInFlight: 0, budgetExhausted: false, abandoned: 0 };
}

/** Runs one phase of the open loop; resolves when its arrivals are done and their requests answered (or `settleMs` passed). */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoopCounts> {
  const { rate, maxInFlight, lateMs, budget, send, signal } = options;
  const counts = options.counts ?? emptyCounts();
  const interval = 1000 / rate;
  const arrivals = Math.floor(options.seconds * rate);
  const start = performance.now();
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const finished = () => {
    inFlight -= 1;
    if (inFlight === 0) idle?.();
  };

  for (let k = 0; k < arrivals && !signal?.aborted; ) {
    const now = performance.now();
    // Every arrival that has come due since the last wake-up goes out now, each with its own due time.
    for (; k < arrivals && start + k * interval <= now; k++) {
      const dueAt = start + k * interval;
      counts.due += 1;
      if (budget.left <= 0) {
        counts.budgetExhausted = true;
        k = arrivals;
        break;
      }
      if (inFlight >= maxInFlight) {
        counts.dropped += 1;
        continue;
      }
      if (now - dueAt > lateMs) counts.late += 1;
      budget.left -= 1;
      counts.sent += 1;
      inFlight += 1;
      counts.peakInFlight = Math.max(counts.peakInFlight, inFlight);
      void send(dueAt).finally(finished);
    }
    if (k < arrivals) await sleep(Math.max(0, start + k * interval - performance.now()));
  }

  if (inFlight > 0) {
    const allAnswered = new Promise<void>((resolve) => (idle = resolve));
    await Promise.race([allAnswered, sleep(options.settleMs, undefined, { ref: false })]);
  }
  counts.abandoned = inFlight;
  return counts;
}
