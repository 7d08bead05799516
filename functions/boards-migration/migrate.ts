import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { columnKey, taskKey } from '../../rules/task-rules.ts';

/**
 * Brings a deployment made before boards onto boards. Before boards every task sat on one board,
 * `main` (the Tasks items say so in `board`; its events, counters and event sequence are already
 * keyed by it). This makes that board a Boards item (key MAIN), puts every user on it with their
 * role (ADMIN -> board ADMIN, MEMBER -> board MEMBER), gives every task its key (MAIN-1, MAIN-2,
 * ... in creation order) and column, and marks history entries, comments and notifications with
 * their board, and pending invitations with the board they lead to.
 *
 * Idempotent and safe to stop at any point: each step writes only what is missing, under a
 * condition, so running it again (after a crash, or on every deploy) finishes what is left and
 * changes nothing else. A task number taken by a run that crashed before writing it stays unused
 * (keys are unique and never reused; they may have gaps). When it has finished, a marker in the
 * event ledger makes later runs return at once.
 */
export const LEGACY_BOARD = 'main';
export const LEGACY_BOARD_KEY = 'MAIN';
export const MIGRATION_MARKER = 'migration#boards-1';

export interface MigrationTables {
  boards: string;
  boardKeys: string;
  boardMembers: string;
  users: string;
  tasks: string;
  taskHistory: string;
  comments: string;
  notifications: string;
  invitations: string;
  ledger: string;
}

/** What a run did, for the log and the tests. */
export interface MigrationReport {
  skipped: boolean;
  board: 'created' | 'existed' | 'none';
  members: number;
  tasksKeyed: number;
  history: number;
  comments: number;
  notifications: number;
  invitations: number;
}

export async function migrateToBoards(client: DynamoDBClient, tables: MigrationTables, now = new Date()): Promise<MigrationReport> {
  const report: MigrationReport = { skipped: false, board: 'none', members: 0, tasksKeyed: 0, history: 0, comments: 0, notifications: 0, invitations: 0 };
  const marker = await client.send(new GetItemCommand({ TableName: tables.ledger, Key: { id: { S: MIGRATION_MARKER } }, ConsistentRead: true }));
  if (marker.Item) return { ...report, skipped: true };

  const users = await scanAll(client, tables.users);
  const tasks = (await scanAll(client, tables.tasks)).filter((task) => task.board === LEGACY_BOARD);
  if (users.length > 0 || tasks.length > 0) {
    report.board = await ensureLegacyBoard(client, tables, tasks, now);
    report.members = await addMembers(client, tables, users, now);
    report.tasksKeyed = await keyTasks(client, tables, tasks);
    report.history = await markBoard(client, tables.taskHistory, ['taskId', 'version']);
    report.comments = await markBoard(client, tables.comments, ['taskId', 'id']);
    report.notifications = await markBoard(client, tables.notifications, ['userId', 'id']);
    report.invitations = await inviteToBoard(client, tables.invitations);
  }
  await client.send(new PutItemCommand({ TableName: tables.ledger, Item: marshall({ id: MIGRATION_MARKER, finishedAt: now.toISOString(), ...report }) }));
  return report;
}

/** The board `main` and its key, unless they exist; the labels in use become its settings. */
async function ensureLegacyBoard(client: DynamoDBClient, tables: MigrationTables, tasks: Record<string, any>[], now: Date): Promise<'created' | 'existed'> {
  const labels = [...new Set(tasks.flatMap((task) => (task.labels ?? []) as string[]))].sort().slice(0, 50);
  await putIfAbsent(client, tables.boardKeys, { key: LEGACY_BOARD_KEY, boardId: LEGACY_BOARD }, 'key');
  const created = await putIfAbsent(
    client,
    tables.boards,
    { id: LEGACY_BOARD, key: LEGACY_BOARD_KEY, name: 'Main board', membersCreateTasks: false, labels, createdAt: now.toISOString(), createdBy: 'migration', taskCount: 0 },
    'id',
  );
  return created ? 'created' : 'existed';
}

/** Every user on the board with their role; a membership that exists (maybe changed since) is kept. */
async function addMembers(client: DynamoDBClient, tables: MigrationTables, users: Record<string, any>[], now: Date): Promise<number> {
  let added = 0;
  for (const user of users) {
    const role = user.role === 'ADMIN' ? 'ADMIN' : user.role === 'MEMBER' ? 'MEMBER' : undefined;
    if (!role) continue; // a role that never had the board (none today) gets no membership
    const member = { boardId: LEGACY_BOARD, userId: user.id, role, addedAt: now.toISOString(), addedBy: 'migration' };
    if (await putIfAbsent(client, tables.boardMembers, member, 'userId')) added += 1;
  }
  return added;
}

/** Keys (MAIN-n, in creation order) and columns for the tasks that lack them. */
async function keyTasks(client: DynamoDBClient, tables: MigrationTables, tasks: Record<string, any>[]): Promise<number> {
  let keyed = 0;
  const order = [...tasks].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
  for (const task of order) {
    const column = columnKey(LEGACY_BOARD, task.status);
    if (task.key) {
      if (task.column !== column) await setIfVersion(client, tables.tasks, task, 'SET #column = :column', { ':column': { S: column } });
      continue;
    }
    const { Attributes } = await client.send(
      new UpdateItemCommand({
        TableName: tables.boards,
        Key: { id: { S: LEGACY_BOARD } },
        UpdateExpression: 'ADD taskCount :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const key = taskKey(LEGACY_BOARD_KEY, Number(Attributes!.taskCount.N));
    if (await setIfVersion(client, tables.tasks, task, 'SET #key = if_not_exists(#key, :key), #column = :column', { ':key': { S: key }, ':column': { S: column } })) keyed += 1;
  }
  return keyed;
}

/**
 * A bookkeeping write to a task, only while it is at the version read (a change in between is
 * left alone: its writer set the column, and the next run keys it). The version is not raised:
 * this is not a change of the task, and the task stream publishes no event for it (see
 * `isBookkeeping` in functions/task-stream/batch.ts).
 */
async function setIfVersion(client: DynamoDBClient, table: string, task: Record<string, any>, update: string, values: Record<string, AttributeValue>): Promise<boolean> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: task.id } },
        UpdateExpression: update,
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#column': 'column', ...(update.includes('#key') ? { '#key': 'key' } : {}) },
        ExpressionAttributeValues: { ...values, ':version': { N: String(task.version) } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** `boardId = main` on every item of a table that has no board yet (all such items are main's). */
async function markBoard(client: DynamoDBClient, table: string, keyNames: string[]): Promise<number> {
  let marked = 0;
  for (const item of await scanAll(client, table, 'attribute_not_exists(boardId)')) {
    const Key = marshall(Object.fromEntries(keyNames.map((name) => [name, item[name]])));
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key,
          UpdateExpression: 'SET boardId = :board',
          ConditionExpression: `attribute_exists(${keyNames[0]}) AND attribute_not_exists(boardId)`,
          ExpressionAttributeValues: { ':board': { S: LEGACY_BOARD } },
        }),
      );
      marked += 1;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return marked;
}

/** Pending invitations made before boards lead to `main`, with the board role their role gives. */
async function inviteToBoard(client: DynamoDBClient, table: string): Promise<number> {
  let marked = 0;
  for (const invitation of await scanAll(client, table, 'attribute_not_exists(boards)')) {
    const boards = [{ boardId: LEGACY_BOARD, role: invitation.role === 'ADMIN' ? 'ADMIN' : 'MEMBER' }];
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { email: { S: invitation.email } },
          UpdateExpression: 'SET boards = :boards',
          ConditionExpression: 'attribute_exists(email) AND attribute_not_exists(boards)',
          ExpressionAttributeValues: { ':boards': marshall({ b: boards }).b },
        }),
      );
      marked += 1;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return marked;
}

async function putIfAbsent(client: DynamoDBClient, table: string, item: Record<string, unknown>, keyName: string): Promise<boolean> {
  try {
    await client.send(new PutItemCommand({ TableName: table, Item: marshall(item), ConditionExpression: `attribute_not_exists(#k)`, ExpressionAttributeNames: { '#k': keyName } }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

async function scanAll(client: DynamoDBClient, table: string, filter?: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, FilterExpression: filter, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
