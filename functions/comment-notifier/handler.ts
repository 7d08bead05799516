import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { imagesOf, type StreamRecord } from '../shared/stream-record.ts';
import type { TaskRecord } from '../shared/task-event.ts';
import { getUser } from '../shared/users.ts';
import { deliver } from '../notifier/deliver.ts';

const log = createLogger('comment-notifier');

interface CommentRecord {
  taskId: string;
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
}

/**
 * Comments stream -> a COMMENTED notification (in the app and by email) for the task's assignee
 * and creator, never for the comment's author. Edits and deletions notify nobody.
 */
export const handler = observe(log, async (event: { Records: StreamRecord[] }): Promise<void> => {
  const options = { table: requiredEnv('NOTIFICATIONS_TABLE'), graphqlUrl: requiredEnv('GRAPHQL_URL'), usersTable: requiredEnv('USERS_TABLE') };
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT') continue;
    const comment = imagesOf<CommentRecord>(record).after!;
    const { Item } = await dynamodb().send(new GetItemCommand({ TableName: requiredEnv('TASKS_TABLE'), Key: { id: { S: comment.taskId } } }));
    if (!Item) continue; // the task was deleted since
    const task = unmarshall(Item) as TaskRecord;
    const author = await getUser(options.usersTable, comment.authorId);
    const excerpt = comment.body.length > 140 ? `${comment.body.slice(0, 139)}…` : comment.body;
    for (const userId of new Set([task.assigneeId, task.createdBy])) {
      if (!userId || userId === comment.authorId) continue;
      await deliver(
        {
          id: `${comment.createdAt}#comment#${comment.id}`,
          userId,
          kind: 'COMMENTED',
          taskId: task.id,
          message: `${author?.name || author?.email || 'Someone'} commented on "${task.title}": ${excerpt}`,
          sequence: 0,
          createdAt: comment.createdAt,
        },
        options,
      );
      log.info('notified', { userId, kind: 'COMMENTED', taskId: task.id });
    }
  }
});
