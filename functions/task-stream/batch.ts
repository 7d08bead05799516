import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '../shared/logger.ts';
import type { TaskEvent } from '../shared/task-event.ts';
import { packTaskEvents, SNS_MAX_BYTES } from '../shared/task-event-messages.ts';
import { markPublished, newClaim, releaseClaims, type Claim } from './claims.ts';
import { changeFromRecord, type TaskStreamRecord } from './events.ts';
import { numberAndClaim, type Change, type LedgerTables } from './ledger.ts';

/** What a batch needs besides its records. */
export interface BatchContext {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  tables: LedgerTables;
  topicArn: string;
  log: Logger;
  /**
   * When the invocation must have answered (epoch ms). The batch's publish mark is retried until
   * shortly before it: a mark lost after its publish would send the whole batch again.
   */
  deadline?: number;
}

/** How far a batch got: records before `done` need nothing more; from `done` on they are to be retried. */
export interface BatchOutcome {
  done: number;
  /** Why it stopped before the end. */
  error?: unknown;
}

/** A publish must start this long before its claim lapses, or another invocation could take the records meanwhile. */
const CLAIM_MARGIN_MS = 2_000;

/**
 * Turns a batch of Tasks stream records into task events and publishes them, in stream order:
 * numbered and claimed in the ledger (a few calls for the whole batch, see `numberAndClaim`),
 * packed into as few SNS messages as fit (`PublishBatch`), then one publish mark for the batch.
 *
 * It stops at the first record it cannot finish: one that cannot become an event (a poison
 * record), one another invocation is publishing right now, or a publish that failed. Everything
 * before it is done; the caller reports the rest as failed (ReportBatchItemFailures), so the
 * event source mapping retries from there and, after its retries and bisection, sends a record
 * that never succeeds to the on-failure destination and moves on.
 *
 * A crash between a publish and its mark sends those events again on the retry (SNS and Lambda
 * are at-least-once too): subscribers recognise them by their sequence.
 */
export async function publishBatch(records: TaskStreamRecord[], context: BatchContext): Promise<BatchOutcome> {
  const { changes, recordIndex, readUpTo, poison } = readChanges(records, context.log);
  // Records before the first change's are bookkeeping writes: nothing to publish for them.
  if (changes.length === 0) return { done: readUpTo, error: poison };

  const claim = newClaim(randomUUID());
  const entries = await numberAndClaim(context.dynamodb, context.tables, changes, claim);
  const held = entries.find((e) => e.state === 'held');
  const toPublish = entries.flatMap((e) => (e.state === 'publish' ? [e] : []));

  const published: TaskEvent[] = [];
  let failure: unknown;
  try {
    // Each event names its board (one recorded before it did takes its marker's board).
    await publishInOrder(toPublish.map((e) => ({ ...e.event, boardId: e.board })), claim, context, published);
  } catch (error) {
    failure = error;
  }
  // Sequences are per board: an event is its board and its number.
  const idOf = (board: string, sequence: number) => `${board}#${sequence}`;
  const sent = new Set(published.map((e) => idOf(e.boardId, e.sequence)));
  if (published.length > 0) await markUntilDeadline(claim, published, context);
  for (const event of published) context.log.info('published', { board: event.boardId, sequence: event.sequence, type: event.type, taskId: event.taskId });

  const unsent = toPublish.filter((e) => !sent.has(idOf(e.board, e.event.sequence)));
  if (unsent.length > 0) {
    await releaseClaims(context.dynamodb, context.tables, claim, unsent.map((e) => e.eventId));
    // Nothing went out: fail the whole batch with the error itself, as an unhandled failure would.
    if (published.length === 0 && failure) throw failure;
    return { done: recordIndex[entries.findIndex((e) => e.eventId === unsent[0]!.eventId)]!, error: failure };
  }
  if (held) {
    return { done: recordIndex[entries.indexOf(held)]!, error: new Error(`task event of record ${held.eventId} is being published by another invocation; retrying from it`) };
  }
  return { done: readUpTo, error: poison };
}

/** Time kept back from the deadline for answering. */
const DEADLINE_MARGIN_MS = 1_000;
const MARK_RETRY_FIRST_MS = 100;
const MARK_RETRY_MAX_MS = 2_000;

/**
 * Writes the publish mark of what went out, retrying a failure (DynamoDB briefly unreachable or
 * throttling) until the invocation's deadline: the mark is idempotent, and without it a retry of
 * the batch would publish every one of these events again. Past the deadline the error is thrown
 * and the retry does publish them again (at-least-once; subscribers recognise them by sequence).
 */
async function markUntilDeadline(claim: Claim, published: TaskEvent[], context: BatchContext): Promise<void> {
  const marks = published.map((e) => ({ board: e.boardId, sequence: e.sequence }));
  const deadline = (context.deadline ?? Date.now()) - DEADLINE_MARGIN_MS;
  for (let wait = MARK_RETRY_FIRST_MS; ; wait = Math.min(2 * wait, MARK_RETRY_MAX_MS)) {
    try {
      return await markPublished(context.dynamodb, context.tables, claim, marks);
    } catch (error) {
      if (Date.now() + wait > deadline) throw error;
      context.log.warn('publish mark failed; retrying', { events: marks.length, retryInMs: wait, error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * The batch's changes in stream order (and the index of each one's record), up to the first
 * record that cannot become an event (it has no image, or its event could never fit in an SNS
 * message): `readUpTo` is that record's index, the poison the caller reports; the ones before it
 * go ahead. A bookkeeping write (see `isBookkeeping`) is read past without becoming a change.
 */
function readChanges(records: TaskStreamRecord[], log: Logger): { changes: Change[]; recordIndex: number[]; readUpTo: number; poison?: Error } {
  const changes: Change[] = [];
  const recordIndex: number[] = [];
  for (const [index, record] of records.entries()) {
    if (isBookkeeping(record)) continue;
    try {
      const change = changeFromRecord(record);
      // The sequence it will get adds at most 20 bytes; the message envelope 13.
      const bytes = Buffer.byteLength(JSON.stringify(change.event)) + 40;
      if (bytes > SNS_MAX_BYTES) throw new Error(`its event is ${bytes} bytes as JSON; an SNS message holds at most ${SNS_MAX_BYTES}`);
      changes.push(change);
      recordIndex.push(index);
    } catch (error) {
      const poison = new Error(`stream record ${record.eventID} cannot become a task event: ${(error as Error).message}`);
      log.error('poison record', { eventId: record.eventID, sequenceNumber: record.dynamodb.SequenceNumber, error: poison.message });
      return { changes, recordIndex, readUpTo: index, poison };
    }
  }
  return { changes, recordIndex, readUpTo: records.length };
}

/**
 * A modification that leaves the task's version as it was is not a change of the task: every
 * API write raises the version; the boards migration giving a task its key and column does not,
 * and must not reach subscribers and the notifier as an update by the task's last editor.
 */
function isBookkeeping(record: TaskStreamRecord): boolean {
  const before = record.dynamodb.OldImage?.version?.N;
  return record.eventName === 'MODIFY' && before !== undefined && before === record.dynamodb.NewImage?.version?.N;
}

/**
 * Publishes the events in order, several to a message and up to ten messages a call, adding to
 * `published` those SNS accepted (a prefix of `events`). Throws at the first message SNS refused,
 * or when the claim is about to lapse.
 */
async function publishInOrder(events: TaskEvent[], claim: Claim, context: BatchContext, published: TaskEvent[]): Promise<void> {
  for (const call of packTaskEvents(events)) {
    if (Date.now() > claim.until - CLAIM_MARGIN_MS) throw new Error('the publish claim is about to lapse; the rest of the batch is left to a retry');
    const answer = await context.sns.send(
      new PublishBatchCommand({
        TopicArn: context.topicArn,
        PublishBatchRequestEntries: call.map((message, i) => ({
          Id: `m${i}`,
          Message: message.body,
          MessageAttributes: { events: { DataType: 'Number', StringValue: String(message.events.length) } },
        })),
      }),
    );
    const accepted = new Set((answer.Successful ?? []).map((s) => s.Id));
    for (const [i, message] of call.entries()) {
      if (!accepted.has(`m${i}`)) {
        const refusal = answer.Failed?.find((f) => f.Id === `m${i}`);
        throw new Error(`SNS refused a message of ${message.events.length} events: ${refusal?.Code ?? 'no answer'} ${refusal?.Message ?? ''}`.trim());
      }
      published.push(...message.events);
    }
  }
}
