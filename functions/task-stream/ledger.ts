import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TaskEvent } from '../shared/task-event.ts';

/** How long events (and their ledger markers) are kept for catching up: 7 days. */
export const EVENT_RETENTION_SECONDS = 7 * 24 * 3600;

export interface LedgerTables {
  ledger: string;
  events: string;
  board: string;
}

/** A recorded event and whether it has gone out to the topic yet. */
export interface LedgerEntry {
  event: TaskEvent;
  published: boolean;
}

/**
 * Numbers a stream record's event exactly once and stores it in the event log. The record's
 * marker and the event are written in one transaction, so a retried batch finds the marker and
 * gets the same sequence back instead of a new one. Sequences only grow; a crash between
 * taking a number and writing it leaves a gap, never a duplicate.
 */
export async function recordEvent(
  client: DynamoDBClient,
  tables: LedgerTables,
  eventId: string,
  event: Omit<TaskEvent, 'sequence'>,
): Promise<LedgerEntry> {
  const existing = await findEntry(client, tables, eventId);
  if (existing) return existing;

  const counter = await client.send(
    new UpdateItemCommand({
      TableName: tables.ledger,
      Key: { id: { S: `sequence#${tables.board}` } },
      UpdateExpression: 'ADD #value :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const sequence = Number(counter.Attributes!.value.N);
  const numbered: TaskEvent = { ...event, sequence };
  const expiresAt = Math.floor(Date.now() / 1000) + EVENT_RETENTION_SECONDS;
  try {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tables.ledger,
              Item: marshall({ id: `record#${eventId}`, sequence, published: false, expiresAt }),
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
          {
            Put: {
              TableName: tables.events,
              Item: marshall({ board: tables.board, ...numbered, expiresAt }, { removeUndefinedValues: true }),
              ConditionExpression: 'attribute_not_exists(#sequence)',
              ExpressionAttributeNames: { '#sequence': 'sequence' },
            },
          },
        ],
      }),
    );
  } catch (error) {
    // Another invocation recorded this record first (a retry racing the original).
    const raced = await findEntry(client, tables, eventId);
    if (raced) return raced;
    throw error;
  }
  return { event: numbered, published: false };
}

/** How long a claim to publish an event holds: far longer than one SNS Publish, far shorter than the stream's retries. */
export const PUBLISH_CLAIM_SECONDS = 10;

/**
 * Takes the right to publish an event, so that two invocations handling the same record at the
 * same time (a retry started while a timed-out invocation is still running) cannot both send it:
 * `claimed` (publish it now), `published` (someone did: skip it), or `held` (someone is doing it
 * right now: try again later). A claim lapses after {@link PUBLISH_CLAIM_SECONDS}, so a process
 * that died holding one delays the event, never loses it.
 */
export async function claimPublish(client: DynamoDBClient, tables: LedgerTables, eventId: string, now = Date.now()): Promise<'claimed' | 'published' | 'held'> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tables.ledger,
        Key: { id: { S: `record#${eventId}` } },
        UpdateExpression: 'SET claimedUntil = :until',
        ConditionExpression: 'attribute_exists(id) AND published <> :yes AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        ExpressionAttributeValues: { ':yes': { BOOL: true }, ':now': { N: String(now) }, ':until': { N: String(now + PUBLISH_CLAIM_SECONDS * 1000) } },
      }),
    );
    return 'claimed';
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const entry = await findEntry(client, tables, eventId);
    return entry?.published ? 'published' : 'held';
  }
}

/** Marks an event as sent to the topic, so a retry does not send it again. */
export async function markPublished(client: DynamoDBClient, tables: LedgerTables, eventId: string): Promise<void> {
  await client.send(
    new UpdateItemCommand({
      TableName: tables.ledger,
      Key: { id: { S: `record#${eventId}` } },
      UpdateExpression: 'SET published = :yes',
      ExpressionAttributeValues: { ':yes': { BOOL: true } },
    }),
  );
}

async function findEntry(client: DynamoDBClient, tables: LedgerTables, eventId: string): Promise<LedgerEntry | undefined> {
  const marker = await client.send(
    new GetItemCommand({ TableName: tables.ledger, Key: { id: { S: `record#${eventId}` } }, ConsistentRead: true }),
  );
  if (!marker.Item) return undefined;
  const sequence = Number(marker.Item.sequence.N);
  const stored = await client.send(
    new GetItemCommand({
      TableName: tables.events,
      Key: { board: { S: tables.board }, sequence: { N: String(sequence) } },
      ConsistentRead: true,
    }),
  );
  if (!stored.Item) throw new Error(`ledger marker for ${eventId} points at missing event ${sequence}`);
  const { board: _board, expiresAt: _expires, ...event } = unmarshall(stored.Item);
  return { event: event as TaskEvent, published: marker.Item.published?.BOOL === true };
}
