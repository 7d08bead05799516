import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TableDefinition } from '../../api/types.ts';
import { startStreamPoller, type StreamConsumerOptions, type StreamPollerOptions } from '../../local/aws/streams/streams.ts';
import type { DynamoDBRecord, DynamoDBStreamEvent } from '../../local/aws/streams/stream-types.ts';
import { createTables } from '../../local/aws/dynamodb/tables.ts';

const region = 'eu-west-1';
const prefix = `streams-${randomBytes(4).toString('hex')}-`;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let dynamodb: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let dir: string;

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  dynamodb = new DynamoDBClient({ endpoint, region, credentials });
  streams = new DynamoDBStreamsClient({ endpoint, region, credentials });
  dir = await mkdtemp(join(tmpdir(), 'streams-test-'));
});
afterAll(async () => {
  dynamodb?.destroy();
  streams?.destroy();
  await rm(dir, { recursive: true, force: true });
});

let tables = 0;
async function newTable(definition: Partial<TableDefinition> = { stream: 'NEW_AND_OLD_IMAGES' }): Promise<string> {
  const name = `${prefix}${++tables}`;
  await createTables(dynamodb, { [name]: { partitionKey: { name: 'pk', type: 'S' }, ...definition } }, (n) => n);
  return name;
}

const put = (table: string, pk: string, v = 1) =>
  dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, v: { N: String(v) }, bin: { B: new Uint8Array([1, 2, 255]) } } }));
async function putMany(table: string, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await put(table, key(i));
}
const key = (i: number) => `item-${String(i).padStart(3, '0')}`;
const pkOf = (r: DynamoDBRecord) => r.dynamodb!.Keys!.pk!.S!;
const seqOf = (r: DynamoDBRecord) => r.dynamodb!.SequenceNumber!;

type Handler = StreamConsumerOptions['handler'];
type Extra = Partial<Omit<StreamPollerOptions, 'consumers'>> & Partial<Omit<StreamConsumerOptions, 'handler'>>;

/** Poller options for one consumer with a fresh checkpoint file; the test supplies the handler. */
function base(tableName: string, handler: Handler, extra: Extra = {}): StreamPollerOptions {
  const { batchSize = 10, retryAttempts = 2, bisectBatchOnError = false, batchingWindowSeconds, onFailure, ...poller } = extra;
  return {
    dynamodb, streams, tableName, region, pollIntervalMs: 30,
    consumers: [{ name: 'test', handler, checkpointFile: join(dir, `${tableName}.json`), batchSize, retryAttempts, bisectBatchOnError, batchingWindowSeconds, onFailure }],
    ...poller,
  };
}

describe('stream poller over DynamoDB Local', () => {
  it('delivers INSERT / MODIFY / REMOVE with old and new images, in order, in Lambda event shape', async () => {
    const table = await newTable();
    await put(table, 'a', 1);
    await dynamodb.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
    await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'a' } } }));
    await put(table, 'b', 3);
    const events: DynamoDBStreamEvent[] = [];
    const poller = await startStreamPoller(base(table, async (event) => void events.push(event)));
    await poller.drained();
    await poller.stop();

    const records = events.flatMap((e) => e.Records);
    expect(records.map((r) => [r.eventName, pkOf(r), r.dynamodb?.OldImage?.v?.N, r.dynamodb?.NewImage?.v?.N])).toEqual([
      ['INSERT', 'a', undefined, '1'],
      ['MODIFY', 'a', '1', '2'],
      ['REMOVE', 'a', '2', undefined],
      ['INSERT', 'b', undefined, '3'],
    ]);
    const first = records[0]!;
    expect(first).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: region });
    expect(first.eventID).toMatch(/\S+/);
    expect(first.eventSourceARN).toMatch(new RegExp(`^arn:aws:dynamodb:${region}:\\d{12}:table/${table}/stream/`));
    expect(first.dynamodb).toMatchObject({ Keys: { pk: { S: 'a' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    // Lambda's JSON event: binary as base64, creation time as whole epoch seconds.
    expect(first.dynamodb?.NewImage?.bin).toEqual({ B: Buffer.from([1, 2, 255]).toString('base64') });
    expect(Number.isInteger(first.dynamodb?.ApproximateCreationDateTime)).toBe(true);
    expect(Math.abs(first.dynamodb!.ApproximateCreationDateTime! - Date.now() / 1000)).toBeLessThan(120);
    expect(first.dynamodb?.SizeBytes).toBeGreaterThan(0);
    const sequence = records.map((r) => BigInt(seqOf(r)));
    expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);
  });

  it('says clearly when the table or its stream does not exist', async () => {
    const plain = await newTable({});
    await expect(startStreamPoller(base(plain, async () => {}))).rejects.toThrow(/has no stream/);
    await expect(startStreamPoller(base(`${prefix}missing`, async () => {}))).rejects.toThrow(/does not exist/);
  });

  it('hands over at most batchSize records per invocation', async () => {
    const table = await newTable();
    await putMany(table, 0, 25);
    const sizes: number[] = [];
    const poller = await startStreamPoller(base(table, async (e) => void sizes.push(e.Records.length), { batchSize: 10 }));
    await poller.drained();
    await poller.stop();
    expect(sizes).toEqual([10, 10, 5]);
  });

  it('retries a failing batch with backoff, the same records each time, and loses or repeats nothing', async () => {
    const table = await newTable();
    await putMany(table, 0, 5);
    const attempts: { at: number; pks: string[] }[] = [];
    const handled: string[] = [];
    const failed: unknown[] = [];
    const poller = await startStreamPoller(
      base(table, async (e) => {
        attempts.push({ at: Date.now(), pks: e.Records.map(pkOf) });
        if (attempts.length <= 2) throw new Error('transient');
        handled.push(...e.Records.map(pkOf));
      }, { retryAttempts: 3, onFailure: (f) => void failed.push(f) }),
    );
    await poller.drained();
    await poller.stop();
    expect(attempts).toHaveLength(3);
    for (const a of attempts) expect(a.pks).toEqual([0, 1, 2, 3, 4].map(key));
    expect(handled).toEqual([0, 1, 2, 3, 4].map(key));
    expect(failed).toEqual([]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(90);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(190);
  });

  it('bisects to isolate one poison record: only it reaches onFailure, every other record arrives exactly once', async () => {
    const table = await newTable();
    await putMany(table, 0, 10);
    const poison = key(6);
    const handled: string[] = [];
    const poisonAlone: number[] = [];
    const failures: { records: DynamoDBRecord[]; error: unknown }[] = [];
    const poller = await startStreamPoller(
      base(table, async (e) => {
        const pks = e.Records.map(pkOf);
        if (pks.length === 1 && pks[0] === poison) poisonAlone.push(Date.now());
        if (pks.includes(poison)) throw new Error('poison');
        handled.push(...pks);
      }, { bisectBatchOnError: true, retryAttempts: 2, onFailure: (f) => void failures.push(f) }),
    );
    await poller.drained();
    await poller.stop();
    expect(handled).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9].map(key));
    expect(failures).toHaveLength(1);
    expect(failures[0]!.records.map(pkOf)).toEqual([poison]);
    expect((failures[0]!.error as Error).message).toBe('poison');
    expect(poisonAlone).toHaveLength(3); // the first try alone, then retryAttempts retries
  });

  it('retries from the lowest failed item of a partial batch response; a malformed identifier fails the whole batch', async () => {
    const table = await newTable();
    await putMany(table, 0, 6);
    const calls: string[][] = [];
    const handled: string[] = [];
    const poller = await startStreamPoller(
      base(table, async (e) => {
        calls.push(e.Records.map(pkOf));
        if (calls.length === 1) return { batchItemFailures: [{ itemIdentifier: 'nonsense' }] };
        if (calls.length === 2) {
          handled.push(...e.Records.slice(0, 3).map(pkOf));
          // Two failures reported, out of order: the lowest SequenceNumber wins.
          return { batchItemFailures: [{ itemIdentifier: seqOf(e.Records[4]!) }, { itemIdentifier: seqOf(e.Records[3]!) }] };
        }
        handled.push(...e.Records.map(pkOf));
        return { batchItemFailures: [] };
      }),
    );
    await poller.drained();
    await poller.stop();
    const all = [0, 1, 2, 3, 4, 5].map(key);
    expect(calls).toEqual([all, all, all.slice(3)]);
    expect(handled).toEqual(all);
  });

  it('reopens an expired iterator from the checkpoint without skipping or repeating', async () => {
    const table = await newTable();
    await putMany(table, 0, 12);
    const flaky = new DynamoDBStreamsClient({ endpoint: inject('dynamodbEndpoint'), region, credentials });
    const send = flaky.send.bind(flaky) as (command: unknown) => Promise<unknown>;
    let reads = 0;
    (flaky as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
      if (command instanceof GetRecordsCommand && ++reads === 2) {
        throw Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
      }
      return send(command);
    };
    const handled: string[] = [];
    const poller = await startStreamPoller(base(table, async (e) => void handled.push(...e.Records.map(pkOf)), { streams: flaky, batchSize: 5 }));
    await poller.drained();
    await poller.stop();
    flaky.destroy();
    expect(handled).toEqual(Array.from({ length: 12 }, (_, i) => key(i)));
  });

  it('continues after a restart exactly after the last acknowledged record', async () => {
    const table = await newTable();
    await putMany(table, 0, 50);
    const delivered: string[] = [];
    let reachedSome: () => void;
    const some = new Promise<void>((resolve) => (reachedSome = resolve));
    const first = await startStreamPoller(
      base(table, async (e) => {
        await new Promise((r) => setTimeout(r, 20));
        delivered.push(...e.Records.map(pkOf));
        if (delivered.length >= 14) reachedSome();
      }, { batchSize: 7 }),
    );
    await some;
    await first.stop();
    const beforeRestart = delivered.length;
    expect(beforeRestart).toBeGreaterThanOrEqual(14);
    expect(beforeRestart).toBeLessThan(50);
    const checkpoint = JSON.parse(await readFile(join(dir, `${table}.json`), 'utf8'));
    expect(checkpoint.streamArn).toContain(`table/${table}/stream/`);

    await putMany(table, 50, 50);
    const second = await startStreamPoller(base(table, async (e) => void delivered.push(...e.Records.map(pkOf)), { batchSize: 7 }));
    await second.drained();
    await second.stop();
    expect(delivered).toEqual(Array.from({ length: 100 }, (_, i) => key(i)));
  });

  it('stop() cuts retries short without acknowledging, so the batch is delivered again after a restart', async () => {
    const table = await newTable();
    await putMany(table, 0, 3);
    let failing = 0;
    const first = await startStreamPoller(
      base(table, async () => {
        failing++;
        throw new Error('down');
      }, { retryAttempts: 10 }),
    );
    while (failing < 2) await new Promise((r) => setTimeout(r, 10));
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    const handled: string[] = [];
    const second = await startStreamPoller(base(table, async (e) => void handled.push(...e.Records.map(pkOf))));
    await second.drained();
    await second.stop();
    expect(handled).toEqual([0, 1, 2].map(key));
  });

  it('one poller feeds every consumer of the stream: one iterator for all, each its own batches, retries and checkpoint', async () => {
    const table = await newTable();
    await putMany(table, 0, 12);
    const counting = new DynamoDBStreamsClient({ endpoint: inject('dynamodbEndpoint'), region, credentials });
    const send = counting.send.bind(counting) as (command: unknown) => Promise<unknown>;
    let iterators = 0;
    (counting as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
      if (command instanceof GetShardIteratorCommand) iterators++;
      return send(command);
    };
    const fast: string[] = [];
    const slow: string[] = [];
    let slowFailures = 0;
    let fastDoneBeforeSlow = false;
    const poller = await startStreamPoller({
      ...base(table, async () => {}),
      streams: counting,
      consumers: [
        { name: 'fast', handler: async (e) => void fast.push(...e.Records.map(pkOf)), checkpointFile: join(dir, `${table}-fast.json`), batchSize: 5, retryAttempts: 2, bisectBatchOnError: false },
        {
          name: 'slow',
          handler: async (e) => {
            if (++slowFailures <= 3) throw new Error('slow consumer down');
            fastDoneBeforeSlow ||= fast.length === 12;
            slow.push(...e.Records.map(pkOf));
          },
          checkpointFile: join(dir, `${table}-slow.json`), batchSize: 12, retryAttempts: 5, bisectBatchOnError: false,
        },
      ],
    });
    await poller.drained();
    await poller.stop();
    counting.destroy();
    const all = Array.from({ length: 12 }, (_, i) => key(i));
    expect(fast).toEqual(all);
    expect(slow).toEqual(all);
    // The failing consumer's retries held nobody else up, and both read through one iterator.
    expect(fastDoneBeforeSlow).toBe(true);
    expect(iterators).toBe(1);
    for (const name of ['fast', 'slow']) {
      const checkpoint = JSON.parse(await readFile(join(dir, `${table}-${name}.json`), 'utf8'));
      expect(Object.values(checkpoint.shards)).toEqual([{ sequenceNumber: expect.any(String) }]);
    }
  });

  it('sleeps through the idle interval unless woken: a woken poller delivers a new record at once', async () => {
    const table = await newTable();
    const handled: { pk: string; at: number }[] = [];
    const poller = await startStreamPoller(base(table, async (e) => void handled.push(...e.Records.map((r) => ({ pk: pkOf(r), at: Date.now() }))), { idlePollIntervalMs: 60_000 }));
    await poller.drained(); // its reads found the stream empty: it now waits a minute
    await put(table, key(1));
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(handled).toEqual([]);
    const woken = Date.now();
    poller.wake();
    // Woken, it reads now; asleep, it would read in a minute. Half of that tells them apart on a loaded machine.
    while (handled.length === 0 && Date.now() - woken < 30_000) await new Promise((resolve) => setTimeout(resolve, 10));
    await poller.stop();
    expect(handled.map((h) => h.pk)).toEqual([key(1)]);
    expect(handled[0]!.at - woken).toBeLessThan(30_000);
  });

  it('a woken read that finds its iterator expired reads again at once, not after the idle interval', async () => {
    const table = await newTable();
    const expiring = new DynamoDBStreamsClient({ endpoint: inject('dynamodbEndpoint'), region, credentials });
    const send = expiring.send.bind(expiring) as (command: unknown) => Promise<unknown>;
    let expireNextRead = false;
    // As after a suspended laptop: the iterator held through the idle wait has expired.
    (expiring as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command) => {
      if (command instanceof GetRecordsCommand && expireNextRead) {
        expireNextRead = false;
        throw Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
      }
      return send(command);
    };
    const handled: { pk: string; at: number }[] = [];
    const poller = await startStreamPoller(
      base(table, async (e) => void handled.push(...e.Records.map((r) => ({ pk: pkOf(r), at: Date.now() }))), { streams: expiring, idlePollIntervalMs: 60_000 }),
    );
    await poller.drained();
    await put(table, key(1));
    expireNextRead = true;
    const woken = Date.now();
    poller.wake();
    while (handled.length === 0 && Date.now() - woken < 30_000) await new Promise((resolve) => setTimeout(resolve, 10));
    await poller.stop();
    expiring.destroy();
    expect(expireNextRead).toBe(false);
    expect(handled.map((h) => h.pk)).toEqual([key(1)]);
    expect(handled[0]!.at - woken).toBeLessThan(30_000);
  });

  it('gathers records for the batching window before invoking', async () => {
    const table = await newTable();
    const batches: string[][] = [];
    const poller = await startStreamPoller(base(table, async (e) => void batches.push(e.Records.map(pkOf)), { batchingWindowSeconds: 1, batchSize: 100 }));
    for (let i = 0; i < 4; i++) {
      await put(table, key(i));
      poller.wake();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    while (batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await poller.stop();
    expect(batches).toEqual([[0, 1, 2, 3].map(key)]);
  });

  // DynamoDB Local keeps one open shard, so the walk across a closed parent and its child is
  // checked against a scripted stream that answers the same three calls the way DynamoDB does.
  it('reads a closed parent shard to its end before its child, and remembers that across a restart', async () => {
    const arn = `arn:aws:dynamodb:ddblocal:000000000000:table/scripted/stream/2024-01-01T00:00:00.000`;
    const record = (n: number): _Record => ({
      eventID: `e${n}`, eventName: 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'ddblocal',
      dynamodb: { Keys: { pk: { S: key(n) } }, NewImage: { pk: { S: key(n) } }, SequenceNumber: String(100 + n), SizeBytes: 10, StreamViewType: 'NEW_AND_OLD_IMAGES', ApproximateCreationDateTime: new Date() },
    });
    const shards: Record<string, { records: _Record[]; closed: boolean }> = {
      parent: { records: [0, 1, 2, 3, 4].map(record), closed: true },
      child: { records: [5, 6, 7].map(record), closed: false },
    };
    const fakeDynamodb = { send: async () => ({ Table: { LatestStreamArn: arn, StreamSpecification: { StreamEnabled: true } } }) };
    const fakeStreams = {
      send: async (command: unknown) => {
        if (command instanceof DescribeStreamCommand) {
          // The child is listed first: the order of the listing must not decide the reading order.
          return { StreamDescription: { StreamArn: arn, Shards: [{ ShardId: 'child', ParentShardId: 'parent' }, { ShardId: 'parent' }] } };
        }
        if (command instanceof GetShardIteratorCommand) {
          const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
          const list = shards[ShardId!]!.records;
          const from = ShardIteratorType === 'TRIM_HORIZON' ? 0 : list.findIndex((r) => r.dynamodb!.SequenceNumber === SequenceNumber) + 1;
          return { ShardIterator: `${ShardId}|${from}` };
        }
        if (command instanceof GetRecordsCommand) {
          const [id, at] = command.input.ShardIterator!.split('|');
          const shard = shards[id!]!;
          const page = shard.records.slice(Number(at), Number(at) + command.input.Limit!);
          const next = Number(at) + page.length;
          const ended = shard.closed && next >= shard.records.length;
          await new Promise((r) => setTimeout(r, 5));
          return { Records: page, NextShardIterator: ended ? undefined : `${id}|${next}` };
        }
        throw new Error(`unexpected command ${String(command)}`);
      },
    };
    const options = (handler: Handler) =>
      base('scripted', handler, { dynamodb: fakeDynamodb as unknown as DynamoDBClient, streams: fakeStreams as unknown as DynamoDBStreamsClient, batchSize: 2 });
    const delivered: string[] = [];
    const first = await startStreamPoller(options(async (e) => void delivered.push(...e.Records.map(pkOf))));
    await first.drained();
    await first.stop();
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map(key));
    const checkpoint = JSON.parse(await readFile(join(dir, 'scripted.json'), 'utf8'));
    expect(checkpoint.shards).toEqual({ parent: { sequenceNumber: '104', finished: true }, child: { sequenceNumber: '107' } });

    shards.child!.records.push(record(8));
    const again: string[] = [];
    const second = await startStreamPoller(options(async (e) => void again.push(...e.Records.map(pkOf))));
    await second.drained();
    await second.stop();
    expect(again).toEqual([key(8)]);
  });
});
