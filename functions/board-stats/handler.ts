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
import { delta, figuresOf, isPrunable, type Counters } from '../../rules/board-figures.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { boardOf, type TaskRecord } from '../shared/task-event.ts';

const log = createLogger('board-stats');
/** Markers of applied records are kept as long as the stream keeps records (24 h), and then some. */
const MARKER_SECONDS = 3 * 24 * 3600;
/** The GraphQL selection of BoardStats: what `onBoardStats` subscribers receive. */
export const BOARD_STATS_FIELDS = `boardId total overdue updatedAt byStatus { status count } byPriority { priority count }
  openByAssignee { assigneeId count } completedPerDay { day count }`;
const PUBLISH = `mutation PublishBoardStats($stats: BoardStatsInput!) { publishBoardStats(stats: $stats) { ${BOARD_STATS_FIELDS} } }`;

export interface StatsStreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: { NewImage?: Record<string, AttributeValue>; OldImage?: Record<string, AttributeValue> };
}

/**
 * Tasks stream -> the dashboard counters, one item per board (keyed by the board id). A batch's
 * changes to one board are summed and applied in one transaction together with a marker for each record (`stats#<eventID>` in EventLedger, written
 * only if absent), so a retried batch applies no record twice. After a batch that changed
 * anything, counters that fell to zero are dropped and the figures are published to
 * `publishBoardStats` (IAM), which drives `onBoardStats`. A failure throws: the batch is retried.
 */
export const handler = observe(log, async (event: { Records: StatsStreamRecord[] }): Promise<void> => {
  const tables = { stats: requiredEnv('BOARD_STATS_TABLE'), ledger: requiredEnv('EVENT_LEDGER_TABLE') };
  const client = dynamodb();
  const byBoard = new Map<string, { eventId: string; change: Counters }[]>();
  for (const record of event.Records) {
    type Stored = TaskRecord & { board?: string };
    const before = record.dynamodb.OldImage ? (unmarshall(record.dynamodb.OldImage) as Stored) : undefined;
    const after = record.dynamodb.NewImage ? (unmarshall(record.dynamodb.NewImage) as Stored) : undefined;
    const change = delta(before, after);
    if (Object.keys(change).length === 0) continue;
    const board = boardOf((after ?? before)!);
    byBoard.set(board, [...(byBoard.get(board) ?? []), { eventId: record.eventID, change }]);
  }
  for (const [board, changes] of byBoard) {
    const applied = await applyOnce(client, tables, board, changes);
    if (applied === 0) continue;
    const counters = await prune(client, tables.stats, board);
    const url = process.env.GRAPHQL_URL;
    if (url) await callAppSyncWithIam(url, PUBLISH, { stats: { boardId: board, ...figuresOf(counters, Date.now()) } });
    log.info('counters updated', { board, records: changes.length, applied });
  }
});

/**
 * Applies each record's change once: per transaction, the markers of up to 99 records and one
 * update of the counters by their sum. Records an earlier attempt already applied fail their
 * marker's condition; they are left out and the rest applied again. Answers how many records
 * this call applied.
 */
async function applyOnce(client: DynamoDBClient, tables: { stats: string; ledger: string }, board: string, changes: { eventId: string; change: Counters }[]): Promise<number> {
  let applied = 0;
  for (const slice of chunks(changes, TRANSACTION_ITEMS - 1)) {
    let pending = slice;
    while (pending.length > 0) {
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [...pending.map(({ eventId }) => marker(tables.ledger, eventId)), addAll(tables.stats, board, pending.map((p) => p.change))] }));
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
function addAll(table: string, board: string, changes: Counters[]): TransactWriteItem {
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
      Key: { id: { S: board } },
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
async function prune(client: DynamoDBClient, table: string, board: string): Promise<Record<string, unknown>> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: board } }, ConsistentRead: true }));
  const counters = Item ? unmarshall(Item) : {};
  const zeros = Object.keys(counters).filter((name) => counters[name] === 0 && isPrunable(name));
  if (zeros.length === 0) return counters;
  const names = Object.fromEntries(zeros.map((name, i) => [`#z${i}`, name]));
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: board } },
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
