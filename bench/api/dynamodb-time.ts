import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Send = (this: DynamoDBClient, ...args: unknown[]) => Promise<unknown>;

/**
 * Measures how long a request spends in DynamoDB, without touching the runtime's source:
 * `DynamoDBClient.prototype.send` is wrapped, so every client in the process (the stack's data
 * sources and its authorizer included) adds each call's wall time (SDK serialisation, signing,
 * HTTP to DynamoDB Local, parsing) to one accumulator.
 *
 * One accumulator is exact only while a single request is in flight, which is how the
 * benchmark uses it. (AsyncLocalStorage would attribute concurrent calls, but on Node 22 it still
 * turns on promise hooks for the whole process and slows every promise, skewing what it measures;
 * Node 24's AsyncContextFrame, its default there, is what would lift that.)
 */
export class DynamoDBTimer {
  /** Nanoseconds spent in `send` since the last {@link reset}. */
  ns = 0n;
  /** Calls to `send` since the last {@link reset}. */
  calls = 0;
  #restore: (() => void) | undefined;

  /** Wraps `send`. Call {@link uninstall} to put it back. */
  install(): void {
    if (this.#restore) return;
    const proto = DynamoDBClient.prototype as unknown as { send: Send };
    const hadOwn = Object.hasOwn(proto, 'send');
    const original = proto.send;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const timer = this;
    proto.send = function (this: DynamoDBClient, ...args: unknown[]) {
      const t0 = process.hrtime.bigint();
      return original.apply(this, args).finally(() => {
        timer.ns += process.hrtime.bigint() - t0;
        timer.calls++;
      });
    };
    this.#restore = () => {
      if (hadOwn) proto.send = original;
      else delete (proto as Partial<typeof proto>).send;
    };
  }

  /** Restores the original `send`. */
  uninstall(): void {
    this.#restore?.();
    this.#restore = undefined;
  }

  /** Zeroes the accumulator. */
  reset(): void {
    this.ns = 0n;
    this.calls = 0;
  }
}
