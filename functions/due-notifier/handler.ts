import { ConditionalCheckFailedException, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import type { TaskRecord } from '../shared/task-event.ts';
import { deliver } from '../notifier/deliver.ts';

const log = createLogger('due-notifier');

/** The boards still in use (archived ones are read-only and remind nobody). */
async function openBoards(): Promise<string[]> {
  const ids: string[] = [];
  let startKey: ScanCommand['input']['ExclusiveStartKey'];
  do {
    const page = await dynamodb().send(new ScanCommand({ TableName: requiredEnv('BOARDS_TABLE'), ProjectionExpression: 'id, archivedAt', ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) if (!item.archivedAt) ids.push(item.id.S!);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

/**
 * Scheduled: tells each assignee, once per task and due date, that an open task is due today or
 * tomorrow (UTC), in the app and by email. Reads each open board's byDue index for those two
 * dates only; a marker in the event ledger makes a second run (or a retry) say nothing twice.
 */
export const handler = observe(log, async (event: { time?: string } = {}): Promise<{ notified: number }> => {
  const now = event.time ? new Date(event.time) : new Date();
  let notified = 0;
  for (const board of await openBoards()) notified += await remindBoard(board, now);
  if (notified) log.info('notified', { notified, today: now.toISOString().slice(0, 10) });
  return { notified };
});

async function remindBoard(board: string, now: Date): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const options = { table: requiredEnv('NOTIFICATIONS_TABLE'), graphqlUrl: requiredEnv('GRAPHQL_URL'), usersTable: requiredEnv('USERS_TABLE') };
  let notified = 0;
  let startKey: QueryCommand['input']['ExclusiveStartKey'];
  do {
    const page = await dynamodb().send(
      new QueryCommand({
        TableName: requiredEnv('TASKS_TABLE'),
        IndexName: 'byDue',
        KeyConditionExpression: 'board = :board AND dueDate BETWEEN :today AND :tomorrow',
        ExpressionAttributeValues: { ':board': { S: board }, ':today': { S: today }, ':tomorrow': { S: tomorrow } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const task of (page.Items ?? []).map((item) => unmarshall(item) as TaskRecord)) {
      if (!task.assigneeId || task.status === 'DONE') continue;
      if (!(await firstTime(`due#${task.id}#${task.dueDate}`, task.dueDate!))) continue;
      const at = now.toISOString();
      await deliver(
        {
          id: `${at}#due#${task.id}`,
          userId: task.assigneeId,
          boardId: board,
          kind: 'DUE_SOON',
          taskId: task.id,
          message: `"${task.title}" is due ${task.dueDate === today ? 'today' : 'tomorrow'} (${task.dueDate})`,
          sequence: 0,
          createdAt: at,
        },
        options,
      );
      notified += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return notified;
}

/** Claims a marker; false when an earlier run has it. Markers outlive their due date by a week. */
async function firstTime(marker: string, dueDate: string): Promise<boolean> {
  try {
    await dynamodb().send(
      new PutItemCommand({
        TableName: requiredEnv('EVENT_LEDGER_TABLE'),
        Item: { id: { S: marker }, expiresAt: { N: String(Math.floor(new Date(`${dueDate}T00:00:00Z`).getTime() / 1000) + 8 * 86_400) } },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
