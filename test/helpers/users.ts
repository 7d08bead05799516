import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { TestStack } from './stack.ts';

/** Sets one string attribute of a user in the Users table, as an admin's change or a stale record would. */
export function setUserAttribute(stack: TestStack, userId: string, attribute: string, value: string) {
  return stack.dynamodb.send(
    new UpdateItemCommand({
      TableName: stack.tableName('Users'),
      Key: { id: { S: userId } },
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': { S: value } },
    }),
  );
}
