import { readFile } from 'node:fs/promises';
import { writeAtomically } from '../atomic-file.ts';

/** Where a poller stands in one shard. */
export interface ShardCheckpoint {
  /** The last SequenceNumber whose record was acknowledged (or sent to the on-failure destination). */
  sequenceNumber?: string;
  /** The shard is closed and was read to its end: its children may start. */
  finished?: boolean;
}

/** The content of a checkpoint file: positions are only meaningful for the stream they were taken in. */
export interface CheckpointState {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

/** Persists a poller's positions; every change is written through before the call resolves. */
export interface CheckpointStore {
  get(shardId: string): ShardCheckpoint | undefined;
  /** Every shard with a position, as read at open or advanced since. */
  all(): Record<string, ShardCheckpoint>;
  /** Records that everything up to and including `sequenceNumber` is done in that shard. */
  advance(shardId: string, sequenceNumber: string): Promise<void>;
  finish(shardId: string): Promise<void>;
  /** Resolves once every write started so far is on disk. */
  flushed(): Promise<void>;
}

/**
 * Opens the checkpoint file for `streamArn`. A file written for another stream (the table was
 * deleted and created again, so the old stream's positions mean nothing in the new one) is
 * ignored and `onReset` says so; a missing file is a first start.
 */
export async function openCheckpoints(file: string, streamArn: string, onReset: (previousArn: string) => void): Promise<CheckpointStore> {
  let state: CheckpointState = { streamArn, shards: {} };
  let raw: string | undefined;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (raw !== undefined) {
    let parsed: CheckpointState;
    try {
      parsed = JSON.parse(raw) as CheckpointState;
    } catch {
      // Writes are atomic (rename), so a torn file means someone else wrote it: refuse to guess.
      throw new Error(`checkpoint file ${file} is not valid JSON; delete it to read the stream from its beginning`);
    }
    if (parsed.streamArn === streamArn && parsed.shards && typeof parsed.shards === 'object') state = parsed;
    else onReset(parsed.streamArn);
  }

  // Writes go one after another so a slower, older write can never land after a newer one.
  let chain: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const snapshot = JSON.stringify(state);
    chain = chain.catch(() => undefined).then(() => writeAtomically(file, snapshot));
    return chain;
  };
  return {
    get: (shardId) => state.shards[shardId],
    all: () => structuredClone(state.shards),
    advance(shardId, sequenceNumber) {
      state.shards[shardId] = { ...state.shards[shardId], sequenceNumber };
      return persist();
    },
    finish(shardId) {
      state.shards[shardId] = { ...state.shards[shardId], finished: true };
      return persist();
    },
    flushed: () => chain.catch(() => undefined),
  };
}

