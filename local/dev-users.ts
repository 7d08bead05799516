import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '../functions/shared/tokens/claims.ts';
import type { UserRecord } from '../functions/shared/users.ts';

/** The board development users land on (the board a deployment from before boards comes up with). */
export const DEV_BOARD = { id: 'main', key: 'MAIN', name: 'Main board' };

/**
 * Finds the user with `email`, or creates one, and makes them ACTIVE with `role` (when given),
 * on the development board (created if missing) with the board role their role gives (ADMIN ->
 * ADMIN, MEMBER -> MEMBER), unless `board: null`. Local development only: in AWS a user exists
 * only after verifying their face, and joins the boards their invitation names.
 */
export async function ensureActiveUser(
  client: DynamoDBClient,
  tableName: (table: string) => string,
  email: string,
  role: Role | undefined,
  options: { board?: string | null } = {},
): Promise<UserRecord> {
  const user = await ensureUser(client, tableName('Users'), email, role);
  const board = options.board === undefined ? DEV_BOARD.id : options.board;
  if (board) await ensureBoardMember(client, tableName, board, user.id, user.role);
  return user;
}

/** A board for development (DEV_BOARD's key and name for `main`, the id in capitals otherwise), unless it exists. */
export async function ensureBoard(client: DynamoDBClient, tableName: (table: string) => string, boardId: string): Promise<void> {
  const key = boardId === DEV_BOARD.id ? DEV_BOARD.key : boardId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 10);
  const name = boardId === DEV_BOARD.id ? DEV_BOARD.name : boardId;
  const absent = async (put: PutItemCommand) => {
    try {
      await client.send(put);
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  };
  await absent(new PutItemCommand({ TableName: tableName('BoardKeys'), Item: marshall({ key, boardId }), ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'key' } }));
  await absent(
    new PutItemCommand({
      TableName: tableName('Boards'),
      Item: marshall({ id: boardId, key, name, membersCreateTasks: false, labels: [], createdAt: new Date().toISOString(), createdBy: 'dev', taskCount: 0 }),
      ConditionExpression: 'attribute_not_exists(id)',
    }),
  );
}

/** Puts a user on a board (made if missing) with the board role their installation role gives. */
export async function ensureBoardMember(client: DynamoDBClient, tableName: (table: string) => string, boardId: string, userId: string, role: Role | string): Promise<void> {
  await ensureBoard(client, tableName, boardId);
  await client.send(
    new PutItemCommand({
      TableName: tableName('BoardMembers'),
      Item: marshall({ boardId, userId, role: role === 'ADMIN' ? 'ADMIN' : 'MEMBER', addedAt: new Date().toISOString(), addedBy: 'dev' }),
    }),
  );
}

async function ensureUser(client: DynamoDBClient, table: string, email: string, role: Role | undefined): Promise<UserRecord> {
  const normalized = email.trim().toLowerCase();
  const { Items } = await client.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'byEmail',
      KeyConditionExpression: 'email = :email',
      ExpressionAttributeValues: { ':email': { S: normalized } },
    }),
  );
  const existing = Items?.[0] ? (unmarshall(Items[0]) as UserRecord) : undefined;
  if (!existing) {
    const user: UserRecord = {
      id: randomUUID(),
      email: normalized,
      name: normalized.split('@')[0],
      role: role ?? 'MEMBER',
      status: 'ACTIVE',
      createdAt: new Date().toISOString(),
    };
    await client.send(new PutItemCommand({ TableName: table, Item: marshall(user), ConditionExpression: 'attribute_not_exists(id)' }));
    return user;
  }
  const updated: UserRecord = { ...existing, role: role ?? existing.role, status: 'ACTIVE' };
  await client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { id: { S: existing.id } },
      UpdateExpression: 'SET #role = :role, #status = :status',
      ExpressionAttributeNames: { '#role': 'role', '#status': 'status' },
      ExpressionAttributeValues: { ':role': { S: updated.role }, ':status': { S: 'ACTIVE' } },
    }),
  );
  return updated;
}
