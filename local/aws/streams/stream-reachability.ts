import { describe } from './stream-batch.ts';

/**
 * An error that never reached DynamoDB (refused, reset, timed out): the SDK gives service
 * errors an HTTP status, and network failures none.
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined && (error.name === 'TimeoutError' || /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|EHOSTUNREACH/.test(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`));
}

/** Watches calls to DynamoDB and says when it stops and starts answering. */
export interface Reachability {
  watch<T>(call: Promise<T>): Promise<T>;
}

/**
 * Says once that DynamoDB stopped answering (not once per retry, every second) and once that
 * it is back, with how long it was gone, so an outage reads as two lines in the terminal.
 */
export function trackReachability(table: string, log: (line: string) => void): Reachability {
  let downSince: number | undefined;
  return {
    async watch<T>(call: Promise<T>): Promise<T> {
      let result: T;
      try {
        result = await call;
      } catch (error) {
        if (isUnreachable(error) && downSince === undefined) {
          downSince = Date.now();
          log(JSON.stringify({ level: 'error', msg: 'DynamoDB is unreachable; the stream poller retries every second and resumes from its checkpoint', table, error: describe(error) }));
        }
        throw error;
      }
      if (downSince !== undefined) {
        log(JSON.stringify({ level: 'notice', msg: 'DynamoDB is reachable again; the stream poller resumed from its checkpoint', table, downForMs: Date.now() - downSince }));
        downSince = undefined;
      }
      return result;
    },
  };
}

/** A wake-up call for loops that wait: `wait` ends after `ms` or at the next `notify`, whichever is first. */
export class Signal {
  private waiters = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.waiters.add(wake);
    });
  }

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
