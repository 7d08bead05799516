import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { requiredEnv } from '../shared/env.ts';
import type { TaskEvent } from '../shared/task-event.ts';
import { readTaskEventMessage } from '../shared/task-event-messages.ts';
import { getUsers } from '../shared/users.ts';
import type { SnsEvent } from '../task-event-publisher/handler.ts';
import { deliverAll, type NotificationRecord } from './deliver.ts';
import { describe, recipients } from './recipients.ts';

const log = createLogger('notifier');

/**
 * TaskEvents topic -> notifications for the people concerned (assignee, creator): stored, pushed
 * to their onNotification subscription, and, for assignments, emailed (see `deliverAll`). A
 * message carries several events: their actors are read in one call and their notifications
 * stored and pushed together.
 */
export const handler = observe(log, async (event: SnsEvent): Promise<void> => {
  const options = { table: requiredEnv('NOTIFICATIONS_TABLE'), graphqlUrl: requiredEnv('GRAPHQL_URL'), usersTable: requiredEnv('USERS_TABLE') };
  for (const record of event.Records) {
    const notifications = await notificationsFor(readTaskEventMessage(record.Sns.Message), options.usersTable);
    await deliverAll(notifications, options);
    if (notifications.length > 0) log.info('notified', { notifications: notifications.length, sequences: [...new Set(notifications.map((n) => n.sequence))] });
  }
});

/** Every notification the events owe, in event order; the actors' names come from one read. */
export async function notificationsFor(events: TaskEvent[], usersTable: string): Promise<NotificationRecord[]> {
  const concerned = events.map((event) => ({ event, targets: recipients(event) })).filter((e) => e.targets.length > 0);
  const actors = await getUsers(usersTable, concerned.flatMap(({ event }) => (event.actorId ? [event.actorId] : [])));
  return concerned.flatMap(({ event, targets }) => {
    const actor = event.actorId ? actors.get(event.actorId) : undefined;
    const actorName = actor?.name || actor?.email || 'Someone';
    return targets.map(({ userId, kind }) => ({
      // Sequences are per board: the board keeps two boards' events apart at the same instant.
      id: `${event.at}#${String(event.sequence).padStart(10, '0')}#${event.boardId}`,
      userId,
      boardId: event.boardId,
      kind,
      taskId: event.taskId,
      message: describe(event, kind, actorName),
      sequence: event.sequence,
      createdAt: event.at,
    }));
  });
}
