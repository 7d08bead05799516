import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from './aws-clients.ts';
import { batchGetAll } from './dynamodb-batch.ts';
import type { Role } from './tokens/claims.ts';

/** A user as the Users table holds them. */
export interface UserRecord {
  id: string;
  email: string;
  name?: string;
  role: Role;
  status: 'INVITED' | 'ACTIVE' | 'DISABLED';
  createdAt: string;
  /** Raised by signOut; tokens carry the generation they were minted in. */
  tokenGeneration?: number;
  /** S3 key of the selfie kept as this user's reference face (face login compares with it). */
  referenceFaceKey?: string;
}

/** Reads a user by id with a consistent read, so a disabled user is seen at once. */
export async function getUser(table: string, id: string): Promise<UserRecord | undefined> {
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }));
  return Item ? (unmarshall(Item) as UserRecord) : undefined;
}

/** Reads several users at once (one BatchGetItem per 100), consistently; by id, absent ones left out. */
export async function getUsers(table: string, ids: string[]): Promise<Map<string, UserRecord>> {
  if (ids.length === 0) return new Map();
  const items = await batchGetAll(dynamodb(), table, [...new Set(ids)].map((id) => ({ id: { S: id } })));
  return new Map(items.map((item) => {
    const user = unmarshall(item) as UserRecord;
    return [user.id, user];
  }));
}
