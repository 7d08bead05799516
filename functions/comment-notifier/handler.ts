import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';
import { findMembership } from '../shared/boards.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { imagesOf, type StreamRecord } from '../shared/stream-record.ts';
import type { TaskRecord } from '../shared/task-event.ts';
import { getUser } from '../shared/users.ts';
import { deliver } from '../notifier/deliver.ts';

const log = createLogger('comment-notifier');

interface CommentRecord {
  boardId?: string;
  taskId: string;
  id: string;
  authorId: string;
  body: string;
  mentions?: string[];
  createdAt: string;
}

/** Who hears of a new comment, and how: the people it mentions, then the task's assignee and creator. */
export function recipientsOf(comment: CommentRecord, task: Pick<TaskRecord, 'assigneeId' | 'createdBy'>): Map<string, 'MENTIONED' | 'COMMENTED'> {
  const out = new Map<string, 'MENTIONED' | 'COMMENTED'>();
  for (const userId of comment.mentions ?? []) out.set(userId, 'MENTIONED');
  for (const userId of [task.assigneeId, task.createdBy]) if (userId && !out.has(userId)) out.set(userId, 'COMMENTED');
  out.delete(comment.authorId);
  return out;
}

/**
 * Comments stream -> notifications (in the app and by email): MENTIONED for each person the
 * comment mentions, COMMENTED for the task's assignee and creator; never the author, and only
 * people who are on the task's board now (a mention cannot reach outside it). Edits and
 * deletions notify nobody.
 */
export const handler = observe(log, async (event: { Records: StreamRecord[] }): Promise<void> => {
  const options = { table: requiredEnv('NOTIFICATIONS_TABLE'), graphqlUrl: requiredEnv('GRAPHQL_URL'), usersTable: requiredEnv('USERS_TABLE') };
  const membersTable = requiredEnv('BOARD_MEMBERS_TABLE');
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT') continue;
    const comment = imagesOf<CommentRecord>(record).after!;
    const { Item } = await dynamodb().send(new GetItemCommand({ TableName: requiredEnv('TASKS_TABLE'), Key: { id: { S: comment.taskId } } }));
    if (!Item) continue; // the task was deleted since
    const task = unmarshall(Item) as TaskRecord & { board: string; key?: string };
    const boardId = comment.boardId ?? task.board;
    const author = await getUser(options.usersTable, comment.authorId);
    const who = author?.name || author?.email || 'Someone';
    const excerpt = comment.body.length > 140 ? `${comment.body.slice(0, 139)}…` : comment.body;
    const title = task.key ? `${task.key} "${task.title}"` : `"${task.title}"`;
    for (const [userId, kind] of recipientsOf(comment, task)) {
      if (!(await findMembership(membersTable, boardId, userId))) continue;
      await deliver(
        {
          id: `${comment.createdAt}#${kind === 'MENTIONED' ? 'mention' : 'comment'}#${comment.id}`,
          userId,
          boardId,
          kind,
          taskId: task.id,
          message: kind === 'MENTIONED' ? `${who} mentioned you on ${title}: ${excerpt}` : `${who} commented on ${title}: ${excerpt}`,
          sequence: 0,
          createdAt: comment.createdAt,
        },
        options,
      );
      log.info('notified', { userId, kind, taskId: task.id });
    }
  }
});
