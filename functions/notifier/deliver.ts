import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { callMutationForEach, type MutationField } from '../shared/appsync-iam.ts';
import { dynamodb } from '../shared/aws-clients.ts';
import { batchPutAll } from '../shared/dynamodb-batch.ts';
import { sendEmail } from '../shared/mailer.ts';
import { getUser } from '../shared/users.ts';

/** The kinds a person is also told about by email; the rest stay in the app. */
const EMAILED = new Set(['ASSIGNED', 'COMMENTED', 'MENTIONED', 'DUE_SOON']);
/** In-app notifications are kept for 30 days. */
const RETENTION_SECONDS = 30 * 24 * 3600;
const PUBLISH: MutationField = {
  field: 'publishNotification',
  argument: 'notification',
  inputType: 'NotificationInput',
  selection: 'id userId boardId kind taskId message sequence createdAt',
};

/** A notification as the Notifications table and the API hold it. */
export interface NotificationRecord {
  /** Sorts by time within a user (`<ISO time>#<what>`); the same event always gets the same id. */
  id: string;
  userId: string;
  /** The task's board (absent on notifications from before boards). */
  boardId?: string;
  kind: 'ASSIGNED' | 'UPDATED' | 'DELETED' | 'COMMENTED' | 'MENTIONED' | 'DUE_SOON';
  taskId: string;
  message: string;
  sequence: number;
  createdAt: string;
}

export interface DeliveryOptions {
  table: string;
  graphqlUrl: string;
  usersTable: string;
}

/** Delivers one notification (see {@link deliverAll}). */
export async function deliver(notification: NotificationRecord, options: DeliveryOptions): Promise<void> {
  await deliverAll([notification], options);
}

/**
 * Stores notifications once, pushes them to their users' onNotification subscriptions in the
 * order given, and emails the kinds people want by email. In-app-only kinds are stored with
 * BatchWriteItem (25 a call); emailed kinds one by one, so that what was emailed is known. Safe
 * to repeat (a retried batch or SNS delivery): an item is stored once, pushed again (harmless:
 * clients key by id), and emailed until it is marked sent, so an email is lost only if sending
 * succeeds and marking fails, never skipped on a retry.
 */
export async function deliverAll(notifications: NotificationRecord[], options: DeliveryOptions): Promise<void> {
  if (notifications.length === 0) return;
  const expiresAt = Math.floor(Date.now() / 1000) + RETENTION_SECONDS;
  const inAppOnly = notifications.filter((n) => !EMAILED.has(n.kind));
  await batchPutAll(dynamodb(), options.table, inAppOnly.map((n) => marshall({ ...n, expiresAt })));
  const owed: NotificationRecord[] = [];
  for (const notification of notifications.filter((n) => EMAILED.has(n.kind))) {
    if (!(await storeOnce(options.table, notification, expiresAt))) owed.push(notification);
  }
  await callMutationForEach(options.graphqlUrl, PUBLISH, notifications);
  for (const notification of owed) await email(notification, options);
}

/** Stores the notification unless it is there; answers whether it was already emailed. */
async function storeOnce(table: string, notification: NotificationRecord, expiresAt: number): Promise<boolean> {
  try {
    await dynamodb().send(
      new PutItemCommand({
        TableName: table,
        Item: marshall({ ...notification, expiresAt }),
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    return false;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: marshall({ userId: notification.userId, id: notification.id }), ConsistentRead: true }));
    return Item?.emailed?.BOOL === true;
  }
}

/** Emails the notification to its user (if still active), then marks it sent. */
async function email(notification: NotificationRecord, options: DeliveryOptions): Promise<void> {
  // Read only when an email is owed: most task events notify in the app alone.
  const recipient = await getUser(options.usersTable, notification.userId);
  if (!recipient || recipient.status !== 'ACTIVE') return;
  await sendEmail({ to: recipient.email, subject: `SecureTask: ${notification.message}`, text: `${notification.message}\n\nOpen ${process.env.WEB_URL ?? 'SecureTask'} to see the task.\n` });
  await dynamodb().send(
    new UpdateItemCommand({
      TableName: options.table,
      Key: marshall({ userId: notification.userId, id: notification.id }),
      UpdateExpression: 'SET emailed = :yes',
      ExpressionAttributeValues: { ':yes': { BOOL: true } },
    }),
  );
}
