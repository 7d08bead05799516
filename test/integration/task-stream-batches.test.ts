/**
 * The task-stream function with batches of many records, against the whole local stack (the
 * ledger in DynamoDB Local, the local SNS, the publisher, AppSync, a WebSocket subscriber): a
 * batch of 100 changes to 10 tasks, a poison record in a batch, and a retry racing the
 * invocation it retries. Records are built as the Tasks stream makes them, so each test decides
 * exactly what one batch holds.
 */
import { randomUUID } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { createLogger } from '../../functions/shared/logger.ts';
import { publishBatch } from '../../functions/task-stream/batch.ts';
import { markPublished } from '../../functions/task-stream/claims.ts';
import { changeFromRecord, type TaskStreamRecord } from '../../functions/task-stream/events.ts';
import { numberAndClaim } from '../../functions/task-stream/ledger.ts';
import { deliverBatch } from '../../local/aws/streams/stream-batch.ts';
import type { DynamoDBRecord } from '../../local/aws/streams/stream-types.ts';
import { connect, start, type RawClient } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let token: string;
let subscriber: RawClient;
let nextSequenceNumber = 1_000_000;

beforeAll(async () => {
  stack = await startTestStack();
  token = (await stack.tokenFor('batches@example.com', 'ADMIN')).token;
  const auth = { Authorization: token, host: new URL(stack.graphqlUrl).host };
  subscriber = await connect(stack.realtimeUrl, auth);
  subscriber.send({ type: 'connection_init' });
  await subscriber.next('connection_ack');
  subscriber.send(start('events', 'subscription { onTaskEvent(boardId: "main") { boardId sequence type taskId task { version } } }', auth));
  await subscriber.next('start_ack');
});
afterAll(async () => {
  subscriber?.close();
  await stack?.stop();
});

interface Seen {
  sequence: number;
  type: string;
  taskId: string;
  task: { version: number } | null;
}

/** Every event the subscriber got over the wire for these tasks, in arrival order. */
const received = (taskIds: string[]): Seen[] =>
  subscriber.messages.filter((m) => m.type === 'data').map((m) => m.payload.data.onTaskEvent as Seen).filter((e) => taskIds.includes(e.taskId));

async function until(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A task at a version, as the Tasks table holds it. */
function taskAt(id: string, version: number) {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString();
  return { id, board: 'main', title: `task ${id.slice(0, 8)}`, description: `v${version}`, status: 'TODO', priority: 'MEDIUM', labels: [], createdBy: 'u-lead', createdAt: at, updatedBy: 'u-lead', updatedAt: at, version };
}

/** A stream record of `id` going to `version` (INSERT for version 1), as Lambda delivers it. */
function change(id: string, version: number): TaskStreamRecord & DynamoDBRecord {
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: version === 1 ? 'INSERT' : 'MODIFY',
    dynamodb: {
      ...(version > 1 ? { OldImage: marshall(taskAt(id, version - 1)) } : {}),
      NewImage: marshall(taskAt(id, version)),
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      SequenceNumber: String(nextSequenceNumber++),
    },
  } as TaskStreamRecord & DynamoDBRecord;
}

/** `tasks` tasks each changed `versions` times, interleaved across tasks as concurrent writers would. */
function changes(tasks: number, versions: number): { ids: string[]; records: (TaskStreamRecord & DynamoDBRecord)[] } {
  const ids = Array.from({ length: tasks }, () => randomUUID());
  const records = Array.from({ length: versions }, (_, v) => ids.map((id) => change(id, v + 1))).flat();
  return { ids, records };
}

const taskStream = (records: TaskStreamRecord[]) => stack.api.invokeFunction('taskStream', { Records: records }) as Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** What a board client must see: per task, versions 1..n in order, each once; sequences growing per task. */
function expectCompleteAndInOrder(events: Seen[], ids: string[], versions: number[][]): void {
  ids.forEach((id, i) => {
    const mine = events.filter((e) => e.taskId === id);
    expect(mine.map((e) => e.task?.version), `task ${i}`).toEqual(versions[i]);
    const sequences = mine.map((e) => e.sequence);
    expect(sequences, `sequences of task ${i}`).toEqual([...sequences].sort((a, b) => a - b));
  });
  const sequences = events.map((e) => e.sequence);
  expect(new Set(sequences).size, 'no event twice').toBe(sequences.length);
}

async function storedEvents(ids: string[]): Promise<Seen[]> {
  const { body } = await stack.graphql('{ taskEvents(boardId: "main", limit: 500) { items { sequence type taskId task { version } } } }', undefined, { authorization: token });
  return (body.data.taskEvents.items as Seen[]).filter((e) => ids.includes(e.taskId));
}

describe('task-stream with batches of many records', () => {
  it('a batch of 100 changes to 10 tasks arrives at a subscriber complete and in order per task', async () => {
    const { ids, records } = changes(10, 10);
    expect(await taskStream(records)).toEqual({ batchItemFailures: [] });
    await until('100 events at the subscriber', () => received(ids).length >= 100);
    await stack.fanOut.settled();
    const versions = ids.map(() => Array.from({ length: 10 }, (_, v) => v + 1));
    expectCompleteAndInOrder(received(ids), ids, versions);
    expectCompleteAndInOrder(await storedEvents(ids), ids, versions);
  });

  it('the same batch handled again (a retry after a crash) publishes nothing twice', async () => {
    const { ids, records } = changes(4, 5);
    expect(await taskStream(records)).toEqual({ batchItemFailures: [] });
    expect(await taskStream(records)).toEqual({ batchItemFailures: [] });
    await until('20 events at the subscriber', () => received(ids).length >= 20);
    await stack.fanOut.settled();
    expect(received(ids)).toHaveLength(20);
    expect(await storedEvents(ids)).toHaveLength(20);
  });

  it('a retry racing its timed-out original: each event is numbered and published once', async () => {
    const { ids, records } = changes(10, 10);
    // Both invocations run at once on the same 100 records, as a retry beside a timed-out
    // original does locally (Node cannot stop the first). Whoever loses a record's claim
    // reports it failed; its retry, as the event source mapping makes it, finds it published.
    const answers = await Promise.all([taskStream(records), taskStream(records)]);
    for (let answer of answers) {
      for (let retry = 0; answer.batchItemFailures.length > 0; retry++) {
        expect(retry, 'retries until the other invocation has published').toBeLessThan(50);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const from = records.findIndex((r) => r.dynamodb.SequenceNumber === answer.batchItemFailures[0]!.itemIdentifier);
        expect(from).toBeGreaterThanOrEqual(0);
        answer = await taskStream(records.slice(from));
      }
    }
    await until('100 events at the subscriber', () => received(ids).length >= 100);
    await stack.fanOut.settled();
    const versions = ids.map(() => Array.from({ length: 10 }, (_, v) => v + 1));
    expectCompleteAndInOrder(received(ids), ids, versions);
    expectCompleteAndInOrder(await storedEvents(ids), ids, versions);
  });

  it('a batch numbered by an invocation that died before publishing all of it: its retry publishes the rest, once', async () => {
    const { ids, records } = changes(5, 6);
    const tables = { ledger: stack.tableName('EventLedger'), events: stack.tableName('TaskEvents') };
    // The dead invocation numbered and claimed all 30, published the first 12 and marked them,
    // then died: its claim has lapsed by the time the retry comes.
    const dead = { token: `dead-${randomUUID()}`, until: Date.now() - 1 };
    const entries = await numberAndClaim(stack.dynamodb, tables, records.map(changeFromRecord), dead);
    const numbered = entries.flatMap((e) => (e.state === 'publish' ? [e] : []));
    expect(numbered).toHaveLength(30);
    await markPublished(stack.dynamodb, tables, dead, numbered.slice(0, 12).map((e) => ({ board: e.board, sequence: e.event.sequence })));

    expect(await taskStream(records)).toEqual({ batchItemFailures: [] });
    await until('the 18 events the dead invocation did not publish', () => received(ids).length >= 18);
    await stack.fanOut.settled();
    // Live: exactly the unpublished ones, with the numbers they were given, in order per task.
    const late = numbered.slice(12).map((e) => e.event.sequence);
    expect(received(ids).map((e) => e.sequence).sort((a, b) => a - b)).toEqual(late);
    expectCompleteAndInOrder(await storedEvents(ids), ids, ids.map(() => [1, 2, 3, 4, 5, 6]));
  });

  it("a publish mark DynamoDB refuses for a moment is written on a retry within the invocation, so the batch's retry publishes nothing twice", async () => {
    const { records } = changes(3, 4);
    const tables = { ledger: stack.tableName('EventLedger'), events: stack.tableName('TaskEvents') };
    // DynamoDB answers everything but the first three tries of the publish mark (a brief outage
    // that began after the publish): what was published must still be marked.
    let refused = 0;
    const refuseMarks = 'refuse-the-first-publish-marks';
    stack.dynamodb.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Item?: { id?: { S?: string } } };
        if (input.Item?.id?.S?.startsWith('published#') && refused < 3) {
          refused++;
          throw Object.assign(new Error('connect ECONNREFUSED (injected)'), { name: 'TimeoutError' });
        }
        return next(args);
      },
      { step: 'initialize', name: refuseMarks },
    );
    // SNS as a recorder: what matters is how many events each handling sends.
    const sent: number[] = [];
    const sns = {
      send: async (command: PublishBatchCommand) => {
        const entries = command.input.PublishBatchRequestEntries ?? [];
        sent.push(entries.reduce((n, entry) => n + Number(entry.MessageAttributes?.events?.StringValue), 0));
        return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
      },
    } as unknown as SNSClient;
    const context = { dynamodb: stack.dynamodb, sns, tables, topicArn: 'arn:aws:sns:local:000000000000:recorder', log: createLogger('task-stream-test'), deadline: Date.now() + 30_000 };
    try {
      expect(await publishBatch(records, context)).toEqual({ done: records.length, error: undefined });
      expect(refused).toBe(3);
      expect(sent.reduce((a, b) => a + b, 0)).toBe(12);
      // The event source mapping's retry of the same records (after a crash, say) finds them published.
      expect(await publishBatch(records, context)).toEqual({ done: records.length, error: undefined });
      expect(sent.reduce((a, b) => a + b, 0)).toBe(12);
    } finally {
      stack.dynamodb.middlewareStack.remove(refuseMarks);
    }
  });

  it('a poison record in a batch: the records before it go at once, it alone ends in the on-failure destination, the ones behind it follow in order', async () => {
    const { ids, records } = changes(3, 8);
    const poisonAt = 10;
    const poison = { ...records[poisonAt]!, dynamodb: { ...records[poisonAt]!.dynamodb, NewImage: undefined, OldImage: undefined } };
    const batch = records.map((r, i) => (i === poisonAt ? poison : r));
    // The first answer names the poison record: everything before it is done.
    const first = await taskStream(batch);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: poison.dynamodb.SequenceNumber }] });
    await until('the 10 events before the poison record', () => received(ids).length >= poisonAt);

    // Then as the event source mapping goes on: retries, bisection, the on-failure destination.
    const discarded: DynamoDBRecord[][] = [];
    const outcome = await deliverBatch(batch.slice(poisonAt), {
      handler: (event) => stack.api.invokeFunction('taskStream', event),
      retryAttempts: 2,
      bisectBatchOnError: true,
      onFailure: ({ records: failed }) => void discarded.push(failed),
      acknowledge: async () => {},
      stopping: () => false,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log: () => {},
    });
    expect(outcome).toBe('done');
    expect(discarded.map((failed) => failed.map((r) => r.eventID))).toEqual([[poison.eventID]]);
    await until('the 23 good records as events', () => received(ids).length >= 23);
    await stack.fanOut.settled();
    // The poisoned change (task 1's version 4) never became an event; every other one did, once, in order.
    const versions = [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]];
    expectCompleteAndInOrder(received(ids), ids, versions);
    expectCompleteAndInOrder(await storedEvents(ids), ids, versions);
  });
});
