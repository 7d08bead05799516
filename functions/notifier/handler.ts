import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { callAppSyncWithIam } from '../shared/appsync-iam.ts';
import { createLogger } from '../shared/logger.ts';
import type { TaskEvent } from '../shared/task-event.ts';
import { dynamodb } from '../shared/aws-clients.ts';
import { getUser } from '../shared/users.ts';
import type { SnsEvent } from '../task-event-publisher/handler.ts';
import { describe, recipients } from './recipients.ts';

const PUBLISH = `mutation PublishNotification($notification: NotificationInput!) {
  publishNotification(notification: $notification) { id userId kind taskId message sequence createdAt }
}`;
/** In-app notifications are kept for 30 days. */
const RETENTION_SECONDS = 30 * 24 * 3600;
const log = createLogger('notifier');

/**
 * TaskEvents topic -> in-app notifications for the people concerned (assignee, creator), stored
 * and pushed to their onNotification subscription. One notification per event and person: a
 * retried delivery finds it stored and only pushes it again.
 */
export async function handler(event: SnsEvent): Promise<void> {
  const table = required('NOTIFICATIONS_TABLE');
  const url = required('GRAPHQL_URL');
  for (const record of event.Records) {
    const taskEvent = JSON.parse(record.Sns.Message) as TaskEvent;
    const targets = recipients(taskEvent);
    if (targets.length === 0) continue;
    const actor = taskEvent.actorId ? await getUser(required('USERS_TABLE'), taskEvent.actorId) : undefined;
    const actorName = actor?.name || actor?.email || 'Someone';
    for (const { userId, kind } of targets) {
      const notification = {
        id: `${taskEvent.at}#${String(taskEvent.sequence).padStart(10, '0')}`,
        userId,
        kind,
        taskId: taskEvent.taskId,
        message: describe(taskEvent, kind, actorName),
        sequence: taskEvent.sequence,
        createdAt: taskEvent.at,
      };
      await store(table, notification);
      await callAppSyncWithIam(url, PUBLISH, { notification });
      log.info('notified', { userId, kind, sequence: taskEvent.sequence });
    }
  }
}

async function store(table: string, notification: Record<string, unknown>): Promise<void> {
  try {
    await dynamodb().send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({ ...notification, expiresAt: Math.floor(Date.now() / 1000) + RETENTION_SECONDS }),
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
