import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/** DynamoDB's limits: keys per BatchGetItem, puts per BatchWriteItem, items per transaction. */
export const BATCH_GET_KEYS = 100;
export const BATCH_WRITE_ITEMS = 25;
export const TRANSACTION_ITEMS = 100;

/** How often unprocessed keys or items are sent again before giving up (DynamoDB throttled the batch). */
const UNPROCESSED_ROUNDS = 8;

/** `items` in slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Reads every key of one table with as few BatchGetItem calls as DynamoDB allows (100 keys
 * each), sending unprocessed keys again. Items come back in no particular order: callers find
 * them by key.
 */
export async function batchGetAll(client: DynamoDBClient, table: string, keys: Item[], consistentRead = true): Promise<Item[]> {
  const found: Item[] = [];
  for (const slice of chunks(dedupeKeys(keys), BATCH_GET_KEYS)) {
    let pending: Item[] | undefined = slice;
    for (let round = 0; pending?.length; round++) {
      if (round === UNPROCESSED_ROUNDS) throw new Error(`BatchGetItem on ${table}: keys still unprocessed after ${round} rounds`);
      if (round > 0) await backoff(round);
      const answer: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: consistentRead } } }));
      found.push(...(answer.Responses?.[table] ?? []));
      pending = answer.UnprocessedKeys?.[table]?.Keys;
    }
  }
  return found;
}

/** Puts every item into one table with BatchWriteItem (25 a call), sending unprocessed items again. */
export async function batchPutAll(client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  for (const slice of chunks(items, BATCH_WRITE_ITEMS)) {
    let pending = slice.map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; pending.length; round++) {
      if (round === UNPROCESSED_ROUNDS) throw new Error(`BatchWriteItem on ${table}: items still unprocessed after ${round} rounds`);
      if (round > 0) await backoff(round);
      const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = (answer.UnprocessedItems?.[table] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
    }
  }
}

/** The cancellation reason codes of a cancelled transaction, one per item, or undefined for any other error. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if ((error as Error | undefined)?.name !== 'TransactionCanceledException') return undefined;
  return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code);
}

function dedupeKeys(keys: Item[]): Item[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    const text = JSON.stringify(key);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}

/** 25 ms doubling: DynamoDB asks for exponential backoff before unprocessed work is sent again. */
function backoff(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 25 * 2 ** (round - 1)));
}
