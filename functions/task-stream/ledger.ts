import { TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { batchGetAll, cancellationCodes, chunks, TRANSACTION_ITEMS } from '../shared/dynamodb-batch.ts';
import type { TaskEvent } from '../shared/task-event.ts';
import { claimsOf, reclaim, type Claim, type Marker } from './claims.ts';

/** How long events (and their ledger markers) are kept for catching up: 7 days. */
export const EVENT_RETENTION_SECONDS = 7 * 24 * 3600;

export interface LedgerTables {
  /** EventLedger: sequence counters, one marker per stream record, one published mark per batch. */
  ledger: string;
  /** TaskEvents: the events themselves, by board and sequence (what clients catch up from). */
  events: string;
}

/** One stream record's change, before the ledger numbers it. */
export interface Change {
  /** The stream record's eventID: the same on every retry of the record. */
  eventId: string;
  /** Whose sequence numbers it: events are numbered per board. */
  board: string;
  event: Omit<TaskEvent, 'sequence'>;
}

/** What this invocation does with a change, in stream order. */
export type LedgerEntry =
  /** Numbered and claimed by this invocation: publish it. */
  | { state: 'publish'; eventId: string; board: string; event: TaskEvent }
  /** Some invocation sent it already: skip it. */
  | { state: 'published'; eventId: string }
  /** Another invocation is publishing it right now: stop here and let a retry find out how it went. */
  | { state: 'held'; eventId: string };

/** Attempts when another invocation races this one on the same records (a retry beside its timed-out original). */
const RACE_ATTEMPTS = 3;

/**
 * Numbers a batch of changes exactly once and claims the right to publish them, with a handful
 * of DynamoDB calls whatever the batch size: one BatchGetItem for the batch's markers, one
 * counter update per board for all its new numbers, and one transaction per 50 new records
 * that writes each record's marker (already claimed) together with its event. A retried batch
 * finds its markers and gets the same numbers back; sequences only grow, in stream order per
 * board, and a number taken but never written (a crash, a lost race) is a gap, never a
 * duplicate.
 *
 * The entries stop at the first change another live invocation holds (`held`, the last entry):
 * what follows it waits, so a task's events are never published out of order.
 */
export async function numberAndClaim(client: DynamoDBClient, tables: LedgerTables, changes: Change[], claim: Claim): Promise<LedgerEntry[]> {
  const written = new Map<string, TaskEvent>();
  for (let attempt = 1; ; attempt++) {
    const markers = await readMarkers(client, tables, changes);
    const states = await claimsOf(client, tables, markers, claim);
    const fresh: Change[] = [];
    const lapsed: Marker[] = [];
    let held: string | undefined;
    for (const change of changes) {
      const marker = markers.get(change.eventId);
      const state = marker && states.get(change.eventId);
      if (!marker) fresh.push(change);
      else if (state === 'held') {
        held = change.eventId;
        break;
      } else if (state === 'lapsed') lapsed.push(marker);
    }
    try {
      await writeFresh(client, tables, fresh, claim, written);
      await reclaim(client, tables, lapsed, claim);
    } catch (error) {
      // Another invocation wrote or claimed some of these first: read again and go on from there.
      if (cancellationCodes(error)?.includes('ConditionalCheckFailed') && attempt < RACE_ATTEMPTS) continue;
      throw error;
    }
    // Events this invocation did not just write (a reclaimed record, or one of its own writes
    // whose answer was lost) are read back as stored.
    const toRead = [...markers.values()].filter((m) => !written.has(m.eventId) && (lapsed.includes(m) || states.get(m.eventId) === 'mine'));
    const stored = await readEvents(client, tables, toRead);
    const entries: LedgerEntry[] = [];
    for (const change of changes) {
      if (change.eventId === held) {
        entries.push({ state: 'held', eventId: change.eventId });
        break;
      }
      const event = written.get(change.eventId) ?? stored.get(change.eventId);
      entries.push(event ? { state: 'publish', eventId: change.eventId, board: change.board, event } : { state: 'published', eventId: change.eventId });
    }
    return entries;
  }
}

/** The markers of the changes that have one, by eventID. */
async function readMarkers(client: DynamoDBClient, tables: LedgerTables, changes: Change[]): Promise<Map<string, Marker>> {
  const items = await batchGetAll(client, tables.ledger, changes.map((c) => marshall({ id: markerId(c.eventId) })));
  const markers = new Map<string, Marker>();
  for (const item of items) {
    const { id, board, sequence, claim, claimedUntil, published } = unmarshall(item) as Omit<Marker, 'eventId'> & { id: string; board?: string };
    const eventId = id.slice('record#'.length);
    // Markers written before batching carried no board (there was one) and their own `published` flag.
    markers.set(eventId, { eventId, board: board ?? 'main', sequence, claim, claimedUntil, published });
  }
  return markers;
}

/**
 * Numbers the changes no invocation has recorded yet and writes each marker (claimed by
 * `claim`) with its event. One counter update per board reserves all of the batch's numbers.
 */
async function writeFresh(client: DynamoDBClient, tables: LedgerTables, fresh: Change[], claim: Claim, written: Map<string, TaskEvent>): Promise<void> {
  if (fresh.length === 0) return;
  const next = new Map<string, number>();
  for (const [board, count] of countBy(fresh, (c) => c.board)) next.set(board, (await reserve(client, tables, board, count)) - count + 1);
  const expiresAt = Math.floor(Date.now() / 1000) + EVENT_RETENTION_SECONDS;
  const numbered = fresh.map((change) => {
    const sequence = next.get(change.board)!;
    next.set(change.board, sequence + 1);
    return { change, event: { ...change.event, sequence } as TaskEvent };
  });
  // Two items per record; slices go one after another, so a failed slice stops the later ones
  // and numbers only ever grow along the stream.
  for (const slice of chunks(numbered, TRANSACTION_ITEMS / 2)) {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: slice.flatMap(({ change, event }) => [
          {
            Put: {
              TableName: tables.ledger,
              Item: marshall({ id: markerId(change.eventId), board: change.board, sequence: event.sequence, claim: claim.token, claimedUntil: claim.until, expiresAt }),
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
          {
            Put: {
              TableName: tables.events,
              Item: marshall({ board: change.board, ...event, expiresAt }, { removeUndefinedValues: true }),
              ConditionExpression: 'attribute_not_exists(#sequence)',
              ExpressionAttributeNames: { '#sequence': 'sequence' },
            },
          },
        ]),
      }),
    );
    for (const { change, event } of slice) written.set(change.eventId, event);
  }
}

/**
 * Takes `count` numbers from the board's counter in one update; answers the highest. The
 * counter's key is per board (`sequence#<board>`), so boards never wait on each other's numbers.
 */
async function reserve(client: DynamoDBClient, tables: LedgerTables, board: string, count: number): Promise<number> {
  const answer = await client.send(
    new UpdateItemCommand({
      TableName: tables.ledger,
      Key: { id: { S: `sequence#${board}` } },
      UpdateExpression: 'ADD #value :count',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':count': { N: String(count) } },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(answer.Attributes!.value!.N);
}

/** The stored events of these markers, by eventID (a retry publishes exactly what clients catch up from). */
async function readEvents(client: DynamoDBClient, tables: LedgerTables, markers: Marker[]): Promise<Map<string, TaskEvent>> {
  const out = new Map<string, TaskEvent>();
  if (markers.length === 0) return out;
  const items = await batchGetAll(client, tables.events, markers.map((m) => marshall({ board: m.board, sequence: m.sequence })));
  const byKey = new Map(items.map((item) => {
    const { board, expiresAt: _expires, ...event } = unmarshall(item);
    return [`${board}#${event.sequence}`, event as TaskEvent];
  }));
  for (const marker of markers) {
    const event = byKey.get(`${marker.board}#${marker.sequence}`);
    if (!event) throw new Error(`ledger marker for ${marker.eventId} points at missing event ${marker.board}/${marker.sequence}`);
    out.set(marker.eventId, event);
  }
  return out;
}

export function markerId(eventId: string): string {
  return `record#${eventId}`;
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}
