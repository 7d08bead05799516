import type { DynamoDBRecord, DynamoDBStreamEvent } from './stream-types.ts';
import { compareSequenceNumbers } from './stream-records.ts';

/** How one batch read from a shard is handed to the function, Lambda's way. */
export interface BatchDeliveryOptions {
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  retryAttempts: number;
  bisectBatchOnError: boolean;
  onFailure?: (failed: { records: DynamoDBRecord[]; error: unknown }) => Promise<void> | void;
  /** Persists that every record up to and including this one is done; called in stream order. */
  acknowledge: (record: DynamoDBRecord) => Promise<void>;
  /** Once true, no further attempt starts: what is not acknowledged is read again after a restart. */
  stopping: () => boolean;
  /** A wait that ends early when the poller stops. */
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

/** `done`: every record was acknowledged or discarded; `stopped`: the poller stopped first. */
export type BatchOutcome = 'done' | 'stopped';

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * Invokes the handler with `records` until each of them is acknowledged or discarded, as
 * Lambda's event source mapping does:
 * - an error (or a batch item failure on the first record) retries the same records after an
 *   exponential backoff (100 ms doubling, 5 s cap) until `retryAttempts` retries are used up;
 *   the records then go to `onFailure` and count as done, so the shard moves on;
 * - with `bisectBatchOnError` a failing batch of more than one record is split in halves that
 *   are delivered one after the other; splits do not use up retries, so a single poison record
 *   ends up alone, gets its retries, and is the only one discarded;
 * - a partial batch response (`batchItemFailures`) acknowledges the records before the lowest
 *   failed SequenceNumber and retries from it. Without bisect that is a retry of the batch and
 *   counts; with bisect it is the split. A malformed item identifier fails the whole batch.
 */
export async function deliverBatch(records: DynamoDBRecord[], options: BatchDeliveryOptions): Promise<BatchOutcome> {
  return deliver(records, 0, options);
}

async function deliver(initial: DynamoDBRecord[], retriesUsed: number, options: BatchDeliveryOptions): Promise<BatchOutcome> {
  let records = initial;
  let retries = retriesUsed;
  for (;;) {
    if (options.stopping()) return 'stopped';
    const outcome = await invoke(records, options);
    if (outcome.failedFrom === undefined) {
      await options.acknowledge(records.at(-1)!);
      return 'done';
    }
    if (outcome.failedFrom > 0) {
      await options.acknowledge(records[outcome.failedFrom - 1]!);
      records = records.slice(outcome.failedFrom);
      if (options.bisectBatchOnError) continue;
    } else if (options.bisectBatchOnError && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      if ((await deliver(records.slice(0, half), retries, options)) === 'stopped') return 'stopped';
      return deliver(records.slice(half), retries, options);
    }
    if (options.stopping()) return 'stopped';
    if (retries >= options.retryAttempts) {
      await discard(records, outcome.error, options);
      return 'done';
    }
    retries += 1;
    const delay = Math.min(FIRST_BACKOFF_MS * 2 ** (retries - 1), MAX_BACKOFF_MS);
    options.log(JSON.stringify({ level: 'warn', msg: 'stream batch failed; retrying', records: records.length, retry: retries, of: options.retryAttempts, delayMs: delay, error: describe(outcome.error) }));
    await options.sleep(delay);
  }
}

interface InvokeOutcome {
  /** Index of the first record to deliver again; undefined when the batch succeeded. */
  failedFrom?: number;
  error?: unknown;
}

async function invoke(records: DynamoDBRecord[], options: BatchDeliveryOptions): Promise<InvokeOutcome> {
  let result: unknown;
  try {
    // Lambda deserialises a fresh event per invocation: a handler that mutates it must not
    // change what a retry sees.
    result = await options.handler({ Records: structuredClone(records) });
  } catch (error) {
    return { failedFrom: 0, error };
  }
  return readBatchResponse(result, records);
}

/** Lambda's rules for what a stream function returned: success, partial failure or full failure. */
function readBatchResponse(result: unknown, records: DynamoDBRecord[]): InvokeOutcome {
  if (result === null || typeof result !== 'object') return {};
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return {};
  if (!Array.isArray(failures)) return { failedFrom: 0, error: new Error('batchItemFailures is not a list') };
  if (failures.length === 0) return {};
  const positions = new Map(records.map((r, i) => [r.dynamodb?.SequenceNumber, i]));
  let lowest: string | undefined;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !positions.has(id)) {
      return { failedFrom: 0, error: new Error(`batchItemFailures names ${JSON.stringify(id)}, which is not a SequenceNumber of this batch`) };
    }
    if (lowest === undefined || compareSequenceNumbers(id, lowest) < 0) lowest = id;
  }
  return { failedFrom: positions.get(lowest)!, error: new Error(`handler reported a failure from SequenceNumber ${lowest}`) };
}

async function discard(records: DynamoDBRecord[], error: unknown, options: BatchDeliveryOptions): Promise<void> {
  const sequenceNumbers = records.map((r) => r.dynamodb?.SequenceNumber);
  options.log(JSON.stringify({ level: 'error', msg: 'stream records discarded after retries', sequenceNumbers, error: describe(error) }));
  try {
    await options.onFailure?.({ records: structuredClone(records), error });
  } catch (destinationError) {
    // The records are discarded either way, as Lambda's are once retries are exhausted; the log keeps them findable.
    options.log(JSON.stringify({ level: 'error', msg: 'on-failure destination failed', sequenceNumbers, error: describe(destinationError) }));
  }
  await options.acknowledge(records.at(-1)!);
}

/** A one-line account of an error for a structured log. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
