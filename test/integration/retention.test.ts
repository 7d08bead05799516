import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/**
 * How long the board's records are kept, as RELIABILITY.md promises: task events 7 days (the
 * window a client can catch up in), in-app notifications 30 days. DynamoDB's TTL deletes an item
 * once its `expiresAt` (epoch seconds) has passed, so the promise is the `expiresAt` written.
 */
let stack: TestStack;
let admin: { token: string; userId: string };
let member: { token: string; userId: string };

beforeAll(async () => {
  stack = await startTestStack();
  admin = await stack.tokenFor('lead@example.com', 'ADMIN');
  member = await stack.tokenFor('dev@example.com', 'MEMBER');
});
afterAll(() => stack?.stop());

const DAY = 24 * 3600;

/** Seconds from now until an item's `expiresAt`. */
const keptFor = (item: Record<string, { N?: string }>) => Number(item.expiresAt.N) - Math.floor(Date.now() / 1000);

it('keeps task events 7 days and notifications 30 days, then lets DynamoDB TTL delete them', async () => {
  const created = await stack.graphql(`mutation { createTask(boardId: "main", input: { title: "Kept", assigneeId: "${member.userId}" }) { id } }`, undefined, { authorization: admin.token });
  expect(created.body.errors).toBeUndefined();
  await stack.fanOut.settled();

  const events = await stack.dynamodb.send(new QueryCommand({ TableName: stack.tableName('TaskEvents'), KeyConditionExpression: 'board = :b', ExpressionAttributeValues: { ':b': { S: 'main' } } }));
  const event = events.Items!.find((item) => item.taskId?.S === created.body.data.createTask.id)!;
  expect(keptFor(event)).toBeGreaterThan(7 * DAY - 120);
  expect(keptFor(event)).toBeLessThanOrEqual(7 * DAY);

  const notifications = await stack.dynamodb.send(new QueryCommand({ TableName: stack.tableName('Notifications'), KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: member.userId } } }));
  expect(notifications.Items).toHaveLength(1);
  expect(keptFor(notifications.Items![0])).toBeGreaterThan(30 * DAY - 120);
  expect(keptFor(notifications.Items![0])).toBeLessThanOrEqual(30 * DAY);
});
