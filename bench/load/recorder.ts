/**
 * Latencies and errors of one phase, by operation. Latency is from the arrival's due time to
 * the end of its answer (see scheduler.ts). Errors are counted by kind (an errorType, `timeout`,
 * `HTTP 502`, ...), with the first message of each kind kept as an example.
 */
import { spread, type Spread } from '../realtime/stats.ts';

/** One operation's figures in a phase. */
export interface OperationFigures {
  name: string;
  requests: number;
  errors: number;
  /** Arrivals that found no idle task to write (not sent, not timed). */
  skipped: number;
  latency: Spread;
}

/** Errors of one kind, over all operations. */
export interface ErrorKind {
  kind: string;
  count: number;
  /** e.g. `updateTask: task x is at version 3, not 2` */
  example: string;
}

export class Recorder {
  private readonly latencies = new Map<string, number[]>();
  private readonly errorsByOp = new Map<string, number>();
  private readonly skips = new Map<string, number>();
  private readonly kinds = new Map<string, ErrorKind>();
  private readonly all: number[] = [];

  /** Records one answered request. */
  record(operation: string, ms: number, error?: { kind: string; message?: string }): void {
    let list = this.latencies.get(operation);
    if (!list) this.latencies.set(operation, (list = []));
    list.push(ms);
    this.all.push(ms);
    if (error) this.error(operation, error.kind, error.message);
  }

  /** Records an error that has no latency of its own (a subscriber's, a verification's). */
  error(operation: string, kind: string, message?: string): void {
    this.errorsByOp.set(operation, (this.errorsByOp.get(operation) ?? 0) + 1);
    const known = this.kinds.get(kind);
    if (known) known.count += 1;
    else this.kinds.set(kind, { kind, count: 1, example: `${operation}: ${(message ?? '').slice(0, 200)}` });
  }

  skip(operation: string): void {
    this.skips.set(operation, (this.skips.get(operation) ?? 0) + 1);
  }

  get requests(): number {
    return this.all.length;
  }

  get errors(): number {
    let n = 0;
    for (const kind of this.kinds.values()) n += kind.count;
    return n;
  }

  /** p50/p99/max over every request so far (progress lines and the step verdicts). */
  overall(): Spread {
    return spread(this.all);
  }

  byOperation(order: string[]): OperationFigures[] {
    const names = [...new Set([...order, ...this.latencies.keys(), ...this.skips.keys()])];
    return names
      .filter((name) => this.latencies.has(name) || this.skips.has(name) || this.errorsByOp.has(name))
      .map((name) => ({
        name,
        requests: this.latencies.get(name)?.length ?? 0,
        errors: this.errorsByOp.get(name) ?? 0,
        skipped: this.skips.get(name) ?? 0,
        latency: spread(this.latencies.get(name) ?? []),
      }));
  }

  errorKinds(): ErrorKind[] {
    return [...this.kinds.values()].sort((a, b) => b.count - a.count);
  }
}
