import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { requiredEnv } from '../shared/env.ts';
import type { TaskEvent } from '../shared/task-event.ts';
import { getUser } from '../shared/users.ts';
import type { SnsEvent } from '../task-event-publisher/handler.ts';
import { deliver } from './deliver.ts';
import { describe, recipients } from './recipients.ts';

const log = createLogger('notifier');

/**
 * TaskEvents topic -> notifications for the people concerned (assignee, creator): stored, pushed
 * to their onNotification subscription, and, for assignments, emailed (see `deliver`).
 */
export const handler = observe(log, async (event: SnsEvent): Promise<void> => {
  const options = { table: requiredEnv('NOTIFICATIONS_TABLE'), graphqlUrl: requiredEnv('GRAPHQL_URL'), usersTable: requiredEnv('USERS_TABLE') };
  for (const record of event.Records) {
    const taskEvent = JSON.parse(record.Sns.Message) as TaskEvent;
    const targets = recipients(taskEvent);
    if (targets.length === 0) continue;
    const actor = taskEvent.actorId ? await getUser(options.usersTable, taskEvent.actorId) : undefined;
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
      await deliver(notification, options);
      log.info('notified', { userId, kind, sequence: taskEvent.sequence });
    }
  }
});
