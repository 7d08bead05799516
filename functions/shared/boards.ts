import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from './aws-clients.ts';

/** One person on one board. */
export interface Membership {
  boardId: string;
  userId: string;
  role: string;
}

/** A person's boards and board roles (BoardMembers' byUser index), every page. */
export async function findMemberships(table: string, userId: string): Promise<Membership[]> {
  const out: Membership[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamodb().send(
      new QueryCommand({
        TableName: table,
        IndexName: 'byUser',
        KeyConditionExpression: 'userId = :user',
        ExpressionAttributeValues: { ':user': { S: userId } },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push(unmarshall(item) as Membership);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** A person's membership of one board, read consistently; undefined when they are not on it. */
export async function findMembership(table: string, boardId: string, userId: string): Promise<Membership | undefined> {
  const { Item } = await dynamodb().send(
    new GetItemCommand({ TableName: table, Key: { boardId: { S: boardId }, userId: { S: userId } }, ConsistentRead: true }),
  );
  return Item ? (unmarshall(Item) as Membership) : undefined;
}

/** A dashboard token's record, read consistently so a revocation is seen at once. */
export async function findDashboardToken(table: string, id: string) {
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }));
  return Item ? (unmarshall(Item) as { id: string; boardId: string; name: string; expiresAt: string; revokedAt?: string; createdBy: string; createdAt: string }) : undefined;
}
