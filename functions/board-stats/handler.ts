import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { callAppSyncWithIam } from '../shared/appsync-iam.ts';
import { dynamodb } from '../shared/aws-clients.ts';
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
 * Tasks stream -> the dashboard counters. Each record's change of the counters is applied in one
 * transaction together with a marker for the record (`stats#<eventID>` in EventLedger, written
 * only if absent), so a retried batch applies no record twice. After a batch that changed
 * anything, counters that fell to zero are dropped and the figures are published to
 * `publishBoardStats` (IAM), which drives `onBoardStats`. A failure throws: the batch is retried.
 */
export const handler = observe(log, async (event: { Records: StatsStreamRecord[] }): Promise<void> => {
  const tables = { stats: requiredEnv('BOARD_STATS_TABLE'), ledger: requiredEnv('EVENT_LEDGER_TABLE') };
  const client = dynamodb();
  let changed = false;
  for (const record of event.Records) {
    const before = record.dynamodb.OldImage ? (unmarshall(record.dynamodb.OldImage) as TaskRecord) : undefined;
    const after = record.dynamodb.NewImage ? (unmarshall(record.dynamodb.NewImage) as TaskRecord) : undefined;
    const change = delta(before, after);
    if (Object.keys(change).length === 0) continue;
    if (await apply(client, tables, record.eventID, change)) changed = true;
  }
  if (!changed) return;
  const counters = await prune(client, tables.stats);
  const url = process.env.GRAPHQL_URL;
  if (url) {
    await callAppSyncWithIam(url, PUBLISH, { stats: figuresOf(counters) });
  }
  log.info('counters updated', { records: event.Records.length });
});

/** Applies one record's change once; false when an earlier attempt already did. */
async function apply(client: DynamoDBClient, tables: { stats: string; ledger: string }, eventId: string, change: Counters): Promise<boolean> {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, AttributeValue> = { ':now': { S: new Date().toISOString() } };
  const adds = Object.entries(change).map(([name, n], i) => {
    names[`#c${i}`] = name;
    values[`:v${i}`] = { N: String(n) };
    return `#c${i} :v${i}`;
  });
  try {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: tables.ledger,
              Item: { id: { S: `stats#${eventId}` }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + MARKER_SECONDS) } },
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
          {
            Update: {
              TableName: tables.stats,
              Key: { id: { S: BOARD } },
              UpdateExpression: `ADD ${adds.join(', ')} SET #updatedAt = :now`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((error as Error).name === 'TransactionCanceledException' && reasons?.[0]?.Code === 'ConditionalCheckFailed') {
      return false;
    }
    throw error;
  }
}

/** Drops per-day and per-assignee counters that reached zero (the item stays small); returns the counters. */
async function prune(client: DynamoDBClient, table: string): Promise<Record<string, unknown>> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: BOARD } }, ConsistentRead: true }));
  const counters = Item ? unmarshall(Item) : {};
  for (const [name, value] of Object.entries(counters)) {
    if (value !== 0 || !(name.startsWith('a_') || name.startsWith('d_'))) continue;
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { id: { S: BOARD } },
          UpdateExpression: 'REMOVE #c',
          ConditionExpression: '#c = :zero',
          ExpressionAttributeNames: { '#c': name },
          ExpressionAttributeValues: { ':zero': { N: '0' } },
        }),
      );
      delete counters[name];
    } catch (error) {
      // Counted up again meanwhile: keep it.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return counters;
}
