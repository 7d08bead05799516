import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { deliverBatch, describe } from './stream-batch.ts';
import type { CheckpointStore } from './stream-checkpoint.ts';
import { isUnreachable, Signal, type Reachability } from './stream-reachability.ts';
import { compareSequenceNumbers, toLambdaRecord } from './stream-records.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from './stream-types.ts';

/** One function reading the stream: an event source mapping's settings and its own positions. */
export interface ShardConsumer {
  name: string;
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  batchSize: number;
  retryAttempts: number;
  bisectBatchOnError: boolean;
  /** Lambda's batching window: how long the first record of a batch may wait for more. */
  batchingWindowMs: number;
  onFailure?: (failed: { records: DynamoDBRecord[]; error: unknown }) => Promise<void> | void;
  checkpoints: CheckpointStore;
}

export interface ShardFeedOptions {
  shardId: string;
  streamArn: string;
  tableName: string;
  region: string;
  streams: DynamoDBStreamsClient;
  /** The consumers that have not finished this shard yet. */
  consumers: ShardConsumer[];
  /** Least time between two reads while records keep coming (Lambda polls a shard 4 times a second). */
  pollIntervalMs: number;
  /** Time between reads of a shard that had nothing, unless woken. */
  idlePollIntervalMs: number;
  reachability: Reachability;
  stopping: () => boolean;
  /** A wait that ends early when the poller stops. */
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

/** One shard read once for all its consumers. */
export interface ShardFeed {
  /** Resolves when the shard is closed and every consumer finished it, or the poller stopped. */
  done: Promise<void>;
  /** Records were just written: read as soon as Lambda's cadence allows. */
  wake(): void;
  /** While on, read at once and deliver without waiting out batching windows (someone waits for everything). */
  setFlushing(on: boolean): void;
  /** A read that started at or after `since` found nothing new, and every consumer delivered all it read. */
  settledSince(since: number): boolean;
}

/** Records read ahead of the slowest consumer, at most; the read waits beyond that. */
const BUFFER_LIMIT = 10_000;
const READ_ERROR_BACKOFF_MS = 1_000;

interface Buffered {
  record: DynamoDBRecord;
  sequenceNumber: string;
  seenAt: number;
}

/**
 * Reads one shard with one iterator and hands its records to every consumer, each at its own
 * pace as Lambda's separate event source mappings would: its own batches, retries, bisection
 * and checkpoint. What one consumer has not taken yet stays buffered (up to 10,000 records).
 *
 * Reads follow Lambda's cadence: at once after a full page, otherwise at most every
 * `pollIntervalMs`, and after an empty read only every `idlePollIntervalMs` unless `wake` says
 * records were written. A consumer's batch is what was read beyond its position when it is
 * free, so batches grow with the rate of writes, as they do in Lambda.
 */
export function startShardFeed(options: ShardFeedOptions): ShardFeed {
  const { shardId, streams, log } = options;
  const signal = new Signal();
  const buffer: Buffered[] = [];
  const limit = Math.max(...options.consumers.map((c) => c.batchSize));
  const state = options.consumers.map((consumer) => ({ consumer, position: consumer.checkpoints.get(shardId)?.sequenceNumber, delivering: false }));
  let ended = false;
  let failed = false;
  let woken = false;
  let flushing = 0;
  let lastRead = { at: -Infinity, count: -1 };
  let lastEmptyReadAt = -Infinity;

  const after = (position: string | undefined, sequenceNumber: string) => position === undefined || compareSequenceNumbers(sequenceNumber, position) > 0;
  const pendingFor = (position: string | undefined) => buffer.filter((b) => after(position, b.sequenceNumber));
  const caughtUp = () => state.every((s) => !s.delivering && pendingFor(s.position).length === 0);

  const trim = () => {
    while (buffer.length > 0 && state.every((s) => !after(s.position, buffer[0]!.sequenceNumber))) buffer.shift();
  };

  const openIterator = async (fromStart = false): Promise<string> => {
    const positions = state.map((s) => s.position);
    const oldest = fromStart || positions.includes(undefined) ? undefined : positions.reduce((a, b) => (compareSequenceNumbers(a!, b!) <= 0 ? a : b));
    const answer = await streams.send(
      new GetShardIteratorCommand(
        oldest
          ? { StreamArn: options.streamArn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: oldest }
          : { StreamArn: options.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' },
      ),
    );
    if (!answer.ShardIterator) throw new Error(`GetShardIterator returned no iterator for shard ${shardId}`);
    return answer.ShardIterator;
  };

  const read = async (): Promise<void> => {
    let iterator: string | undefined;
    while (!options.stopping() && !ended) {
      // Worth reading while some consumer could take more than it has: idle, or gathering its window.
      const wanted = state.some((s) => pendingFor(s.position).length < s.consumer.batchSize) && buffer.length < BUFFER_LIMIT;
      const now = Date.now();
      const fullPage = lastRead.count >= limit;
      const due = flushing > 0 || fullPage ? now : lastRead.count === 0 && !woken ? lastRead.at + options.idlePollIntervalMs : lastRead.at + options.pollIntervalMs;
      if (!wanted || due > now) {
        await signal.wait(wanted ? due - now : 1_000);
        continue;
      }
      const wokenForThisRead = woken;
      woken = false;
      let page;
      try {
        iterator ??= await options.reachability.watch(openIterator());
        page = await options.reachability.watch(streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit })));
      } catch (error) {
        lastRead = { at: now, count: 0 };
        // The wake-up is not used up by a read that failed: the records it announced are still to be read.
        woken ||= wokenForThisRead;
        const name = (error as Error).name;
        // Whatever happens, read again from the consumers' checkpoints; what was buffered is read again.
        iterator = undefined;
        buffer.length = 0;
        if (isUnreachable(error)) {
          // Said once by `reachability`; retried every second until DynamoDB answers again.
          await options.sleep(READ_ERROR_BACKOFF_MS);
          continue;
        }
        if (name === 'ResourceNotFoundException') throw new Error(`the stream of ${options.tableName} is gone (table deleted or stream disabled): ${describe(error)}`);
        if (name === 'TrimmedDataAccessException') {
          // The checkpoint is older than the stream's 24 h retention: those records are gone, as
          // they would be for Lambda; carry on from the oldest record still there. (DynamoDB Local
          // also answers this to the first read of a fresh stream, when nothing can be lost.)
          if (state.some((s) => s.position)) {
            log(JSON.stringify({ level: 'error', msg: 'records past the checkpoint were trimmed; reading from the oldest remaining', table: options.tableName, shardId }));
          }
          iterator = await openIterator(true).catch(() => undefined);
          continue;
        }
        // An expired iterator is routine after a long handler or a suspended laptop: reopen from the checkpoint.
        if (name !== 'ExpiredIteratorException') {
          log(JSON.stringify({ level: 'warn', msg: 'stream read failed; reopening from the checkpoint', table: options.tableName, shardId, error: describe(error) }));
          await options.sleep(READ_ERROR_BACKOFF_MS);
        }
        continue;
      }
      const records = (page.Records ?? []).map((r) => toLambdaRecord(r, options.region, options.streamArn));
      const seenAt = Date.now();
      for (const record of records) buffer.push({ record, sequenceNumber: record.dynamodb!.SequenceNumber!, seenAt });
      lastRead = { at: now, count: records.length };
      if (records.length === 0) lastEmptyReadAt = now;
      iterator = page.NextShardIterator;
      // A closed shard read to its end: its consumers finish it once they delivered what was read.
      if (!iterator) ended = true;
      signal.notify();
    }
  };

  const consume = async (s: (typeof state)[number]): Promise<void> => {
    const { consumer } = s;
    while (!options.stopping() && !failed) {
      const pending = pendingFor(s.position);
      if (pending.length === 0) {
        if (ended) {
          await consumer.checkpoints.finish(shardId);
          return;
        }
        await signal.wait(1_000);
        continue;
      }
      const windowEnds = pending[0]!.seenAt + consumer.batchingWindowMs;
      if (pending.length < consumer.batchSize && flushing === 0 && !ended && Date.now() < windowEnds) {
        await signal.wait(windowEnds - Date.now());
        continue;
      }
      s.delivering = true;
      const outcome = await deliverBatch(
        pending.slice(0, consumer.batchSize).map((b) => b.record),
        {
          handler: consumer.handler,
          retryAttempts: consumer.retryAttempts,
          bisectBatchOnError: consumer.bisectBatchOnError,
          onFailure: consumer.onFailure,
          acknowledge: async (record) => {
            s.position = record.dynamodb!.SequenceNumber!;
            await consumer.checkpoints.advance(shardId, s.position);
          },
          stopping: options.stopping,
          sleep: options.sleep,
          log,
        },
      ).finally(() => (s.delivering = false));
      trim();
      signal.notify();
      if (outcome === 'stopped') return;
    }
  };

  const reading = read();
  const done = Promise.all([reading, ...state.map(consume)]).then(() => undefined);
  // A read that fails for good stops the consumers too: they would wait for records forever.
  reading.catch(() => {
    failed = true;
    signal.notify();
  });
  return {
    done,
    wake() {
      woken = true;
      signal.notify();
    },
    setFlushing(on) {
      flushing += on ? 1 : -1;
      signal.notify();
    },
    settledSince: (since) => (ended || lastEmptyReadAt >= since) && caughtUp(),
  };
}
