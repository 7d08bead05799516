import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { callAppSyncWithIam } from '../shared/appsync-iam.ts';
import { dynamodb } from '../shared/aws-clients.ts';
import { cancellationCodes, chunks, TRANSACTION_ITEMS } from '../shared/dynamodb-batch.ts';
import { BOARD_STATS_FIELDS, delta, figuresOf, type Counters } from '../shared/board-stats.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import type { TaskRecord } from '../shared/task-event.ts';

const log = createLogger('board-stats');
const BOARD = 'main';
/** Markers of applied records are kept as long as the stream keeps records (24 h), and then some. */
const MARKER_SECONDS = 3 * 24 * 3600;
const PUBLISH = `mutation PublishBoardStats($stats: BoardStatsInput!) { publishBoardStats(stats: $stats) { ${BOARD_STATS_FIELDS} } }`;

export interface StatsStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: { NewImage?: Record<string, AttributeValue>; OldImage?: Record<string, AttributeValue> };
}

/**
 * Tasks stream -> the dashboard counters. A batch's changes are summed and applied in one
 * transaction together with a marker for each record (`stats#<eventID>` in EventLedger, written
 * only if absent), so a retried batch applies no record twice. After a batch that changed
 * anything, counters that fell to zero are dropped and the figures are published to
 * `publishBoardStats` (IAM), which drives `onBoardStats`. A failure throws: the batch is retried.
 */
export const handler = observe(log, async (event: { Records: StatsStreamRecord[] }): Promise<void> => {
  const tables = { stats: requiredEnv('BOARD_STATS_TABLE'), ledger: requiredEnv('EVENT_LEDGER_TABLE') };
  const client = dynamodb();
  const changes = event.Records.flatMap((record) => {
    const before = record.dynamodb.OldImage ? (unmarshall(record.dynamodb.OldImage) as TaskRecord) : undefined;
    const after = record.dynamodb.NewImage ? (unmarshall(record.dynamodb.NewImage) as TaskRecord) : undefined;
    const change = delta(before, after);
    return Object.keys(change).length === 0 ? [] : [{ eventId: record.eventID, change }];
  });
  const applied = await applyOnce(client, tables, changes);
  if (applied === 0) return;
  const counters = await prune(client, tables.stats);
  const url = process.env.GRAPHQL_URL;
  if (url) {
    await callAppSyncWithIam(url, PUBLISH, { stats: figuresOf(counters) });
  }
  log.info('counters updated', { records: event.Records.length, applied });
});

/**
 * Applies each record's change once: per transaction, the markers of up to 99 records and one
 * update of the counters by their sum. Records an earlier attempt already applied fail their
 * marker's condition; they are left out and the rest applied again. Answers how many records
 * this call applied.
 */
async function applyOnce(client: DynamoDBClient, tables: { stats: string; ledger: string }, changes: { eventId: string; change: Counters }[]): Promise<number> {
  let applied = 0;
  for (const slice of chunks(changes, TRANSACTION_ITEMS - 1)) {
    let pending = slice;
    while (pending.length > 0) {
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [...pending.map(({ eventId }) => marker(tables.ledger, eventId)), addAll(tables.stats, pending.map((p) => p.change))] }));
        applied += pending.length;
        break;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes?.slice(0, pending.length).includes('ConditionalCheckFailed')) throw error;
        pending = pending.filter((_, i) => codes[i] !== 'ConditionalCheckFailed');
      }
    }
  }
  return applied;
}

function marker(ledger: string, eventId: string): TransactWriteItem {
  return {
    Put: {
      TableName: ledger,
      Item: { id: { S: `stats#${eventId}` }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + MARKER_SECONDS) } },
      ConditionExpression: 'attribute_not_exists(id)',
    },
  };
}

/** One update that adds every change to the board's counters. */
function addAll(table: string, changes: Counters[]): TransactWriteItem {
  const sum: Counters = {};
  for (const change of changes) for (const [name, n] of Object.entries(change)) sum[name] = (sum[name] ?? 0) + n;
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, AttributeValue> = { ':now': { S: new Date().toISOString() } };
  const adds = Object.entries(sum).map(([name, n], i) => {
    names[`#c${i}`] = name;
    values[`:v${i}`] = { N: String(n) };
    return `#c${i} :v${i}`;
  });
  return {
    Update: {
      TableName: table,
      Key: { id: { S: BOARD } },
      UpdateExpression: adds.length ? `ADD ${adds.join(', ')} SET #updatedAt = :now` : 'SET #updatedAt = :now',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Drops per-day and per-assignee counters that reached zero (the item stays small), in one
 * conditional update; returns the counters. If one was counted up meanwhile, all are kept until
 * the next batch.
 */
async function prune(client: DynamoDBClient, table: string): Promise<Record<string, unknown>> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: BOARD } }, ConsistentRead: true }));
  const counters = Item ? unmarshall(Item) : {};
  const zeros = Object.keys(counters).filter((name) => counters[name] === 0 && (name.startsWith('a_') || name.startsWith('d_')));
  if (zeros.length === 0) return counters;
  const names = Object.fromEntries(zeros.map((name, i) => [`#z${i}`, name]));
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: BOARD } },
        UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
        ConditionExpression: Object.keys(names).map((n) => `${n} = :zero`).join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':zero': { N: '0' } },
      }),
    );
    for (const name of zeros) delete counters[name];
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  return counters;
}
