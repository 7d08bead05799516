import path from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, type DynamoDBStreamsClient, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { describe } from './stream-batch.ts';
import { openCheckpoints, type CheckpointStore } from './stream-checkpoint.ts';
import { isUnreachable, trackReachability } from './stream-reachability.ts';
import { startShardFeed, type ShardConsumer, type ShardFeed } from './stream-shard.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from './stream-types.ts';

export type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from './stream-types.ts';

/** One function fed by the stream: Lambda's event source mapping settings plus where to keep its positions. */
export interface StreamConsumerOptions {
  /** Names the consumer in logs. */
  name: string;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Per-shard positions survive restarts here (JSON, replaced atomically). */
  checkpointFile: string;
  /** Records per invocation, 1..1000. */
  batchSize: number;
  /** Retries of a failing batch (or, with bisect, of a single record) before it is discarded. */
  retryAttempts: number;
  bisectBatchOnError: boolean;
  /** Seconds the first record of a batch may wait for more (Lambda's MaximumBatchingWindowInSeconds); default 0. */
  batchingWindowSeconds?: number;
  /** The on-failure destination: receives the records discarded after their retries. */
  onFailure?: (failed: { records: DynamoDBRecord[]; error: unknown }) => Promise<void> | void;
}

/** Options for {@link startStreamPoller}. */
export interface StreamPollerOptions {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** Physical table name; its stream must be enabled. */
  tableName: string;
  /** Every function the stream feeds; each gets every record, at its own pace. */
  consumers: StreamConsumerOptions[];
  /** Least time between reads of a shard while records keep coming; default 250 ms (Lambda polls 4 times a second). */
  pollIntervalMs?: number;
  /** Time between reads of a shard that had nothing, unless `wake` is called; default 5 s. */
  idlePollIntervalMs?: number;
  /** Time between listings of the stream's shards; default 10 s. */
  shardDiscoveryMs?: number;
  /** Region reported in the records (`awsRegion`, `eventSourceARN`). */
  region: string;
  /** Structured (JSON) lines: start, retries, discards, read errors. */
  log?: (line: string) => void;
}

/** A running poller. */
export interface StreamPoller {
  /** The table was just written: read its shards as soon as Lambda's cadence allows, not after the idle interval. */
  wake(): void;
  /** Lets the batches being handled finish (their retries are cut short), then stops reading. */
  stop(): Promise<void>;
  /** Resolves once every record written before the call was handed to every consumer and settled. */
  drained(): Promise<void>;
}

/**
 * Reads a table's DynamoDB stream once for all the functions it feeds, the way Lambda's event
 * source mappings do for each: shards in parallel, a closed parent read to its end before its
 * children start, records strictly in order within a shard, batches of at most `batchSize`
 * records gathered for at most the batching window, retries with backoff, bisection, partial
 * batch responses and an on-failure destination (see `deliverBatch`). One poller per stream,
 * however many consumers: the reads (DynamoDB calls) are shared, each consumer keeps its own
 * batches and checkpoint (see `startShardFeed`).
 *
 * A consumer's position is written to its `checkpointFile` only after its batch succeeded (or
 * was discarded), so a restart resumes right after the last acknowledged record. Delivery is
 * at-least-once, as in AWS: a crash between the handler's success and the checkpoint write
 * delivers that one batch again, so handlers must be idempotent.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? (() => {});
  for (const consumer of options.consumers) checkConsumer(options.tableName, consumer);
  const streamArn = await findStreamArn(options.dynamodb, options.tableName);
  const consumers: ShardConsumer[] = [];
  for (const consumer of options.consumers) {
    const checkpoints = await openCheckpoints(consumer.checkpointFile, streamArn, (previous) =>
      log(JSON.stringify({ level: 'warn', msg: 'checkpoint belongs to another stream; reading from the beginning', table: options.tableName, consumer: consumer.name, previous, streamArn })),
    );
    reportResume(options.tableName, consumer.name, checkpoints, log);
    consumers.push({ ...consumer, batchingWindowMs: (consumer.batchingWindowSeconds ?? 0) * 1000, checkpoints });
  }
  const reachability = trackReachability(options.tableName, log);

  let stopping = false;
  let fatal: unknown;
  const stopSignal = new AbortController();
  const shards = new Map<string, Shard>();
  const feeds = new Map<string, ShardFeed>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopSignal.signal.aborted) return resolve();
      const timer = setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        stopSignal.signal.removeEventListener('abort', wake);
        resolve();
      }
      stopSignal.signal.addEventListener('abort', wake);
    });
  const finished = (shardId: string) => consumers.every((c) => c.checkpoints.get(shardId)?.finished);

  let refreshing: Promise<void> | undefined;
  /** Lists the shards and starts a feed for each one whose turn has come. */
  const refresh = (): Promise<void> => {
    // Callers that arrive during a listing need one that started after them: chain a new one.
    const next: Promise<void> = (refreshing ?? Promise.resolve()).catch(() => undefined).then(async () => {
      for (const shard of await reachability.watch(listShards(options.streams, streamArn))) shards.set(shard.ShardId!, shard);
      for (const [id, shard] of shards) {
        if (stopping || feeds.has(id) || finished(id)) continue;
        const parent = shard.ParentShardId;
        if (parent && shards.has(parent) && !finished(parent)) continue;
        const feed = startShardFeed({
          shardId: id,
          streamArn,
          tableName: options.tableName,
          region: options.region,
          streams: options.streams,
          consumers: consumers.filter((c) => !c.checkpoints.get(id)?.finished),
          pollIntervalMs: options.pollIntervalMs ?? 250,
          idlePollIntervalMs: options.idlePollIntervalMs ?? 5_000,
          reachability,
          stopping: () => stopping,
          sleep,
          log,
        });
        feeds.set(id, feed);
        feed.done.then(
          // A closed shard read to its end: its children may start now, not at the next listing.
          () => (stopping || !finished(id) ? undefined : refresh().catch((error: unknown) => log(JSON.stringify({ level: 'warn', msg: 'listing stream shards failed', table: options.tableName, error: describe(error) })))),
          (error: unknown) => {
            fatal = error;
            log(JSON.stringify({ level: 'error', msg: 'stream poller stopped reading a shard', table: options.tableName, shardId: id, error: describe(error) }));
          },
        );
      }
    });
    refreshing = next;
    return next;
  };

  await refresh();
  const discovery = (async () => {
    while (!stopping) {
      await sleep(options.shardDiscoveryMs ?? 10_000);
      if (stopping) break;
      await refresh().catch((error: unknown) => {
        if (!isUnreachable(error)) log(JSON.stringify({ level: 'warn', msg: 'listing stream shards failed', table: options.tableName, error: describe(error) }));
      });
    }
  })();
  log(JSON.stringify({ level: 'info', msg: 'stream poller started', table: options.tableName, streamArn, shards: shards.size, consumers: consumers.map((c) => c.name) }));

  let stopped: Promise<void> | undefined;
  return {
    wake() {
      for (const feed of feeds.values()) feed.wake();
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        stopSignal.abort();
        for (const feed of feeds.values()) feed.wake();
        await discovery;
        await refreshing?.catch(() => undefined);
        await Promise.all([...feeds.values()].map((f) => f.done.catch(() => undefined)));
        await Promise.all(consumers.map((c) => c.checkpoints.flushed()));
      })();
      return stopped;
    },
    async drained() {
      const since = Date.now();
      await refresh();
      const flushing = [...feeds.values()];
      for (const feed of flushing) feed.setFlushing(true);
      try {
        for (;;) {
          if (fatal) throw fatal;
          if (stopping) throw new Error(`stream poller for ${options.tableName} is stopped`);
          if ([...shards.keys()].every((id) => finished(id) || feeds.get(id)?.settledSince(since))) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        for (const feed of flushing) feed.setFlushing(false);
      }
    },
  };
}

function checkConsumer(table: string, consumer: StreamConsumerOptions): void {
  const where = `stream poller for ${table} (${consumer.name})`;
  if (!Number.isInteger(consumer.batchSize) || consumer.batchSize < 1 || consumer.batchSize > 1000) {
    throw new Error(`${where}: batchSize must be an integer from 1 to 1000, got ${consumer.batchSize}`);
  }
  if (!Number.isInteger(consumer.retryAttempts) || consumer.retryAttempts < 0) {
    throw new Error(`${where}: retryAttempts must be a non-negative integer, got ${consumer.retryAttempts}`);
  }
  const window = consumer.batchingWindowSeconds ?? 0;
  if (!Number.isInteger(window) || window < 0 || window > 300) {
    throw new Error(`${where}: batchingWindowSeconds must be a whole number of seconds from 0 to 300 (as Lambda's), got ${window}`);
  }
}

/**
 * Where this start picks up: after a crash or a restart, a person (and the fault tests) can see
 * that the poller resumed from its checkpoint rather than from the start or the end.
 */
function reportResume(table: string, consumer: string, checkpoints: CheckpointStore, log: (line: string) => void): void {
  const resumed = Object.entries(checkpoints.all()).filter(([, c]) => c.sequenceNumber && !c.finished);
  if (resumed.length === 0) return;
  log(JSON.stringify({ level: 'notice', msg: 'stream poller resuming from its checkpoint', table, consumer, shards: Object.fromEntries(resumed.map(([id, c]) => [id, c.sequenceNumber])) }));
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

/** The checkpoint file of one consumer of one table, in the data folder's `streams/` (the name it always had). */
export function checkpointFileOf(dataDir: string, consumer: string, table: string): string {
  return path.join(dataDir, 'streams', `${consumer}-${table}.json`);
}
