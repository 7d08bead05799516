import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '../functions/shared/tokens/claims.ts';
import type { UserRecord } from '../functions/shared/users.ts';

/**
 * Finds the user with `email`, or creates one, and makes them ACTIVE with `role` (when given).
 * Local development only: in AWS a user exists only after verifying their face.
 */
export async function ensureActiveUser(
  client: DynamoDBClient,
  table: string,
  email: string,
  role: Role | undefined,
): Promise<UserRecord> {
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
