import { PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { batchGetAll, chunks, TRANSACTION_ITEMS } from '../shared/dynamodb-batch.ts';
import type { LedgerTables } from './ledger.ts';

/** How long a claim to publish holds: far longer than one batch's publish, far shorter than the stream's retries. */
export const PUBLISH_CLAIM_SECONDS = 10;

/**
 * One invocation's right to publish the events it claimed: a token of its own and the time the
 * right lapses. Two invocations on the same records (a retry started while a timed-out one still
 * runs) can never both hold a record's claim, so they never both publish its event.
 */
export interface Claim {
  token: string;
  until: number;
}

/** A stream record's ledger marker: its event's number and who last claimed it. */
export interface Marker {
  eventId: string;
  board: string;
  sequence: number;
  claim?: string;
  claimedUntil?: number;
  /** Only on markers written before publish marks existed: the record's own flag. */
  published?: boolean;
}

/**
 * Where a recorded event stands: `published` (its claim's publish mark covers it), `mine` (this
 * invocation claimed it), `held` (another invocation's claim still runs) or `lapsed` (its
 * claimant died or gave up before publishing: anyone may claim it).
 */
export type ClaimState = 'published' | 'mine' | 'held' | 'lapsed';

export function newClaim(token: string, now = Date.now()): Claim {
  return { token, until: now + PUBLISH_CLAIM_SECONDS * 1000 };
}

/** The state of each marker, by eventID: one BatchGetItem for the publish marks of the claims seen. */
export async function claimsOf(client: DynamoDBClient, tables: LedgerTables, markers: Map<string, Marker>, claim: Claim, now = Date.now()): Promise<Map<string, ClaimState>> {
  const tokens = [...new Set([...markers.values()].flatMap((m) => (m.claim && m.claim !== claim.token ? [m.claim] : [])))];
  const marks = new Map<string, Record<string, number>>();
  if (tokens.length > 0) {
    for (const item of await batchGetAll(client, tables.ledger, tokens.map((t) => marshall({ id: publishedId(t) })))) {
      const { id, through } = unmarshall(item) as { id: string; through?: Record<string, number> };
      marks.set(id.slice('published#'.length), through ?? {});
    }
  }
  const states = new Map<string, ClaimState>();
  for (const marker of markers.values()) {
    const through = marker.claim ? marks.get(marker.claim)?.[marker.board] : undefined;
    if (marker.published || (through !== undefined && through >= marker.sequence)) states.set(marker.eventId, 'published');
    else if (marker.claim === claim.token) states.set(marker.eventId, 'mine');
    else if ((marker.claimedUntil ?? 0) > now) states.set(marker.eventId, 'held');
    else states.set(marker.eventId, 'lapsed');
  }
  return states;
}

/**
 * Claims markers whose claim lapsed, in transactions: each marker only if its claim is still the
 * lapsed one and that claim's publish mark still does not cover it, so a claimant that finished
 * after all is never published over. A transaction cancelled by a condition means another
 * invocation got there first: the caller reads again.
 */
export async function reclaim(client: DynamoDBClient, tables: LedgerTables, lapsed: Marker[], claim: Claim, now = Date.now()): Promise<void> {
  // A marker and (once per lapsed claim in the slice) that claim's publish mark: at most 100 items.
  for (const slice of chunks(lapsed, TRANSACTION_ITEMS / 2)) {
    const updates: TransactWriteItem[] = slice.map((marker) => ({
      Update: {
        TableName: tables.ledger,
        Key: marshall({ id: `record#${marker.eventId}` }),
        UpdateExpression: 'SET claim = :mine, claimedUntil = :until',
        ConditionExpression: `${marker.claim ? 'claim = :old' : 'attribute_not_exists(claim)'} AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now) AND (attribute_not_exists(published) OR published <> :yes)`,
        ExpressionAttributeValues: marshall({ ':mine': claim.token, ':until': claim.until, ':now': now, ':yes': true, ...(marker.claim ? { ':old': marker.claim } : {}) }),
      },
    }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [...updates, ...notPublishedChecks(tables, slice)] }));
  }
}

/** One condition per lapsed claim: its publish mark covers none of these markers (the lowest number per board decides). */
function notPublishedChecks(tables: LedgerTables, markers: Marker[]): TransactWriteItem[] {
  const lowest = new Map<string, Map<string, number>>();
  for (const { claim, board, sequence } of markers) {
    if (!claim) continue;
    const boards = lowest.get(claim) ?? new Map<string, number>();
    boards.set(board, Math.min(boards.get(board) ?? Infinity, sequence));
    lowest.set(claim, boards);
  }
  return [...lowest].map(([token, boards]) => {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const conditions = [...boards].map(([board, sequence], i) => {
      names[`#b${i}`] = board;
      values[`:s${i}`] = sequence;
      return `(attribute_not_exists(through.#b${i}) OR through.#b${i} < :s${i})`;
    });
    // DynamoDB refuses redundant parentheses: one board's condition is already in its own.
    const notCovered = conditions.length === 1 ? conditions[0] : `(${conditions.join(' AND ')})`;
    return {
      ConditionCheck: {
        TableName: tables.ledger,
        Key: marshall({ id: publishedId(token) }),
        ConditionExpression: `attribute_not_exists(id) OR ${notCovered}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: marshall(values),
      },
    };
  });
}

/**
 * The one "published" mark of a batch: every event this claim numbered up to `through` (per
 * board) went out to the topic. One item, whatever the batch size.
 */
export async function markPublished(client: DynamoDBClient, tables: LedgerTables, claim: Claim, published: { board: string; sequence: number }[]): Promise<void> {
  if (published.length === 0) return;
  const through: Record<string, number> = {};
  for (const { board, sequence } of published) through[board] = Math.max(through[board] ?? 0, sequence);
  const expiresAt = Math.floor(Date.now() / 1000) + 7 * 24 * 3600;
  await client.send(new PutItemCommand({ TableName: tables.ledger, Item: marshall({ id: publishedId(claim.token), through, expiresAt }) }));
}

/**
 * Gives up this claim on records it did not publish (a failed publish), so a retry can take them
 * at once instead of waiting for the claim to lapse. Best effort, one conditional update per
 * record (only on failures): a claim left behind lapses on its own.
 */
export async function releaseClaims(client: DynamoDBClient, tables: LedgerTables, claim: Claim, eventIds: string[]): Promise<void> {
  await Promise.all(
    eventIds.map((eventId) =>
      client
        .send(
          new UpdateItemCommand({
            TableName: tables.ledger,
            Key: marshall({ id: `record#${eventId}` }),
            UpdateExpression: 'SET claimedUntil = :zero',
            ConditionExpression: 'claim = :mine',
            ExpressionAttributeValues: marshall({ ':zero': 0, ':mine': claim.token }),
          }),
        )
        .catch(() => undefined),
    ),
  );
}

function publishedId(token: string): string {
  return `published#${token}`;
}
