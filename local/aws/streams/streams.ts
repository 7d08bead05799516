import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { deliverBatch, describe } from './stream-batch.ts';
import { openCheckpoints } from './stream-checkpoint.ts';
import { toLambdaRecord } from './stream-records.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from './stream-types.ts';

export type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from './stream-types.ts';

/** Options for {@link startStreamPoller}: Lambda's event source mapping settings plus where to keep positions. */
export interface StreamPollerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** Physical table name; its stream must be enabled. */
  tableName: string;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Per-shard positions survive restarts here (JSON, replaced atomically). */
  checkpointFile: string;
  /** Records per invocation, 1..1000 (one GetRecords call fills one batch). */
  batchSize: number;
  /** Retries of a failing batch (or, with bisect, of a single record) before it is discarded. */
  retryAttempts: number;
  bisectBatchOnError: boolean;
  /** The on-failure destination: receives the records discarded after their retries. */
  onFailure?: (failed: { records: DynamoDBRecord[]; error: unknown }) => Promise<void> | void;
  /** Wait between polls of a shard that returned less than a full batch; default 200 ms. */
  pollIntervalMs?: number;
  /** Region reported in the records (`awsRegion`, `eventSourceARN`). */
  region: string;
  /** Structured (JSON) lines: start, retries, discards, read errors. */
  log?: (line: string) => void;
}

/** A running poller. */
export interface StreamPoller {
  /** Lets the batch being handled finish (its retries are cut short), then stops reading. */
  stop(): Promise<void>;
  /** Resolves once every record written before the call was handed to the handler and settled. */
  drained(): Promise<void>;
}

const SHARD_DISCOVERY_MS = 1_000;
const READ_ERROR_BACKOFF_MS = 1_000;

interface Worker {
  done: Promise<void>;
  /** The poll counter at the start of the latest GetRecords that found nothing. */
  emptyAt: number;
}

/**
 * Reads a table's DynamoDB stream and invokes `handler` the way Lambda's event source mapping
 * does: shards in parallel, a closed parent read to its end before its children start, records
 * strictly in order within a shard, one GetRecords page of at most `batchSize` records per
 * invocation, retries with backoff, bisection, partial batch responses and an on-failure
 * destination (see `deliverBatch`).
 *
 * A shard's position is written to `checkpointFile` only after its batch succeeded (or was
 * discarded), so a restart resumes right after the last acknowledged record. Delivery is
 * at-least-once, as in AWS: a crash between the handler's success and the checkpoint write
 * delivers that one batch again, so handlers must be idempotent (the stream function keeps a
 * ledger of SequenceNumbers for exactly that reason).
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? (() => {});
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > 1000) {
    throw new Error(`stream poller for ${options.tableName}: batchSize must be an integer from 1 to 1000, got ${options.batchSize}`);
  }
  if (!Number.isInteger(options.retryAttempts) || options.retryAttempts < 0) {
    throw new Error(`stream poller for ${options.tableName}: retryAttempts must be a non-negative integer, got ${options.retryAttempts}`);
  }
  const streamArn = await findStreamArn(options.dynamodb, options.tableName);
  const checkpoints = await openCheckpoints(options.checkpointFile, streamArn, (previous) =>
    log(JSON.stringify({ level: 'warn', msg: 'checkpoint belongs to another stream; reading from the beginning', table: options.tableName, previous, streamArn })),
  );

  // Where this start picks up: after a crash or a restart, a person (and the fault tests) can
  // see that the poller resumed from its checkpoint rather than from the start or the end.
  const resumed = Object.entries(checkpoints.all()).filter(([, c]) => c.sequenceNumber && !c.finished);
  if (resumed.length > 0) {
    log(JSON.stringify({ level: 'notice', msg: 'stream poller resuming from its checkpoint', table: options.tableName, shards: Object.fromEntries(resumed.map(([id, c]) => [id, c.sequenceNumber])) }));
  }
  const reachability = trackReachability(options.tableName, log);

  let stopping = false;
  let fatal: unknown;
  let polls = 0;
  const stopSignal = new AbortController();
  const shards = new Map<string, Shard>();
  const workers = new Map<string, Worker>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const wake of [...waiters]) wake();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopSignal.signal.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        stopSignal.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      stopSignal.signal.addEventListener('abort', wake);
    });

  let refreshing: Promise<void> | undefined;
  /** Lists the shards and starts a worker for each one whose turn has come. */
  const refresh = (): Promise<void> => {
    // Callers that arrive during a listing need one that started after them: chain a new one.
    const next: Promise<void> = (refreshing ?? Promise.resolve()).catch(() => undefined).then(async () => {
      for (const shard of await reachability.watch(listShards(options.streams, streamArn))) shards.set(shard.ShardId!, shard);
      for (const [id, shard] of shards) {
        if (stopping || workers.has(id) || checkpoints.get(id)?.finished) continue;
        const parent = shard.ParentShardId;
        if (parent && shards.has(parent) && !checkpoints.get(parent)?.finished) continue;
        const worker: Worker = { emptyAt: -1, done: Promise.resolve() };
        workers.set(id, worker);
        worker.done = readShard(id, worker).catch((error: unknown) => {
          fatal = error;
          log(JSON.stringify({ level: 'error', msg: 'stream poller stopped reading a shard', table: options.tableName, shardId: id, error: describe(error) }));
          notify();
        });
      }
    });
    refreshing = next;
    return next;
  };

  const openIterator = async (shardId: string, fromStart = false): Promise<string> => {
    const after = fromStart ? undefined : checkpoints.get(shardId)?.sequenceNumber;
    const answer = await options.streams.send(
      new GetShardIteratorCommand(
        after
          ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
      ),
    );
    if (!answer.ShardIterator) throw new Error(`GetShardIterator returned no iterator for shard ${shardId}`);
    return answer.ShardIterator;
  };

  const readShard = async (shardId: string, worker: Worker): Promise<void> => {
    let iterator: string | undefined;
    while (!stopping) {
      const pollStart = ++polls;
      let page;
      try {
        iterator ??= await reachability.watch(openIterator(shardId));
        page = await reachability.watch(options.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize })));
      } catch (error) {
        const name = (error as Error).name;
        if (isUnreachable(error)) {
          // Said once by `reachability`; retried every second until DynamoDB answers again.
          await sleep(READ_ERROR_BACKOFF_MS);
          iterator = undefined;
          continue;
        }
        if (name === 'ResourceNotFoundException') throw new Error(`the stream of ${options.tableName} is gone (table deleted or stream disabled): ${describe(error)}`);
        if (name === 'TrimmedDataAccessException') {
          // The checkpoint is older than the stream's 24 h retention: those records are gone, as
          // they would be for Lambda; carry on from the oldest record still there. (DynamoDB Local
          // also answers this to the first read of a fresh stream, when nothing can be lost.)
          if (checkpoints.get(shardId)) {
            log(JSON.stringify({ level: 'error', msg: 'records past the checkpoint were trimmed; reading from the oldest remaining', table: options.tableName, shardId }));
          }
          iterator = await openIterator(shardId, true).catch(() => undefined);
          continue;
        }
        // An expired iterator is routine after a long handler or a suspended laptop: reopen from the checkpoint.
        if (name !== 'ExpiredIteratorException') {
          log(JSON.stringify({ level: 'warn', msg: 'stream read failed; reopening from the checkpoint', table: options.tableName, shardId, error: describe(error) }));
          await sleep(READ_ERROR_BACKOFF_MS);
        }
        iterator = undefined;
        continue;
      }
      const records = (page.Records ?? []).map((r) => toLambdaRecord(r, options.region, streamArn));
      if (records.length > 0) {
        const outcome = await deliverBatch(records, {
          handler: options.handler,
          retryAttempts: options.retryAttempts,
          bisectBatchOnError: options.bisectBatchOnError,
          onFailure: options.onFailure,
          acknowledge: (record) => checkpoints.advance(shardId, record.dynamodb!.SequenceNumber!),
          stopping: () => stopping,
          sleep,
          log,
        });
        if (outcome === 'stopped') return;
      }
      if (!page.NextShardIterator) {
        // A closed shard read to its end: its children may start now, not at the next discovery.
        await checkpoints.finish(shardId);
        notify();
        if (!stopping) {
          await refresh().catch((error: unknown) =>
            log(JSON.stringify({ level: 'warn', msg: 'listing stream shards failed', table: options.tableName, error: describe(error) })),
          );
        }
        return;
      }
      iterator = page.NextShardIterator;
      if (records.length === 0) {
        worker.emptyAt = pollStart;
        notify();
      }
      if (records.length < options.batchSize) await sleep(pollIntervalMs);
    }
  };

  await refresh();
  const discovery = (async () => {
    while (!stopping) {
      await sleep(Math.max(SHARD_DISCOVERY_MS, pollIntervalMs));
      if (stopping) break;
      await refresh().catch((error: unknown) => {
        if (!isUnreachable(error)) log(JSON.stringify({ level: 'warn', msg: 'listing stream shards failed', table: options.tableName, error: describe(error) }));
      });
    }
  })();
  log(JSON.stringify({ level: 'info', msg: 'stream poller started', table: options.tableName, streamArn, shards: shards.size }));

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        stopSignal.abort();
        notify();
        await discovery;
        await refreshing?.catch(() => undefined);
        await Promise.all([...workers.values()].map((w) => w.done));
        await checkpoints.flushed();
      })();
      return stopped;
    },
    async drained() {
      const since = polls;
      await refresh();
      for (;;) {
        if (fatal) throw fatal;
        if (stopping) throw new Error(`stream poller for ${options.tableName} is stopped`);
        const settled = [...shards.keys()].every((id) => checkpoints.get(id)?.finished || (workers.get(id)?.emptyAt ?? -1) > since);
        if (settled) return;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, 100);
          waiters.add(wake);
        });
      }
    },
  };
}

/** The table's current stream, or an error that says what to change. */
async function findStreamArn(dynamodb: DynamoDBClient, tableName: string): Promise<string> {
  let table;
  try {
    table = (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      throw new Error(`stream poller: table ${tableName} does not exist; create the tables before starting the poller`);
    }
    throw error;
  }
  if (!table?.LatestStreamArn || !table.StreamSpecification?.StreamEnabled) {
    throw new Error(`stream poller: table ${tableName} has no stream; declare \`stream\` for it in the API description so createTables enables one`);
  }
  return table.LatestStreamArn;
}

async function listShards(streams: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> {
  const all: Shard[] = [];
  let start: string | undefined;
  do {
    const page = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
    all.push(...(page.StreamDescription?.Shards ?? []));
    start = page.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return all;
}

/**
 * An error that never reached DynamoDB (refused, reset, timed out): the SDK gives service
 * errors an HTTP status, and network failures none.
 */
function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined && (error.name === 'TimeoutError' || /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up|EHOSTUNREACH/.test(`${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`));
}

/**
 * Says once that DynamoDB stopped answering (not once per retry, every second) and once that
 * it is back, with how long it was gone, so an outage reads as two lines in the terminal.
 */
function trackReachability(table: string, log: (line: string) => void) {
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
