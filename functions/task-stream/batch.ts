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
  const { changes, poison } = readChanges(records, context.log);
  if (changes.length === 0) return { done: 0, error: poison };

  const claim = newClaim(randomUUID());
  const entries = await numberAndClaim(context.dynamodb, context.tables, changes, claim);
  const held = entries.find((e) => e.state === 'held');
  const toPublish = entries.flatMap((e) => (e.state === 'publish' ? [e] : []));

  const published: TaskEvent[] = [];
  let failure: unknown;
  try {
    await publishInOrder(toPublish.map((e) => e.event), claim, context, published);
  } catch (error) {
    failure = error;
  }
  const sent = new Set(published.map((e) => e.sequence));
  const boardOf = new Map(toPublish.map((e) => [e.event.sequence, e.board]));
  if (published.length > 0) await markPublished(context.dynamodb, context.tables, claim, published.map((e) => ({ board: boardOf.get(e.sequence)!, sequence: e.sequence })));
  for (const event of published) context.log.info('published', { sequence: event.sequence, type: event.type, taskId: event.taskId });

  const unsent = toPublish.filter((e) => !sent.has(e.event.sequence));
  if (unsent.length > 0) {
    await releaseClaims(context.dynamodb, context.tables, claim, unsent.map((e) => e.eventId));
    // Nothing went out: fail the whole batch with the error itself, as an unhandled failure would.
    if (published.length === 0 && failure) throw failure;
    return { done: entries.findIndex((e) => e.eventId === unsent[0]!.eventId), error: failure };
  }
  if (held) {
    return { done: entries.indexOf(held), error: new Error(`task event of record ${held.eventId} is being published by another invocation; retrying from it`) };
  }
  return { done: changes.length, error: changes.length < records.length ? poison : undefined };
}

/**
 * The batch's changes in stream order, up to the first record that cannot become an event (it
 * has no image, or its event could never fit in an SNS message). That record is the poison the
 * caller reports; the ones before it go ahead.
 */
function readChanges(records: TaskStreamRecord[], log: Logger): { changes: Change[]; poison?: Error } {
  const changes: Change[] = [];
  for (const record of records) {
    try {
      const change = changeFromRecord(record);
      // The sequence it will get adds at most 20 bytes; the message envelope 13.
      const bytes = Buffer.byteLength(JSON.stringify(change.event)) + 40;
      if (bytes > SNS_MAX_BYTES) throw new Error(`its event is ${bytes} bytes as JSON; an SNS message holds at most ${SNS_MAX_BYTES}`);
      changes.push(change);
    } catch (error) {
      const poison = new Error(`stream record ${record.eventID} cannot become a task event: ${(error as Error).message}`);
      log.error('poison record', { eventId: record.eventID, sequenceNumber: record.dynamodb.SequenceNumber, error: poison.message });
      return { changes, poison };
    }
  }
  return { changes };
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
