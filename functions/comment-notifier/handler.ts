import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';
import { findMembership } from '../shared/boards.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { imagesOf, type StreamRecord } from '../shared/stream-record.ts';
import type { TaskRecord } from '../shared/task-event.ts';
import { getUser } from '../shared/users.ts';
import { deliver, type DeliveryOptions, type NotificationRecord } from '../notifier/deliver.ts';
import { readComment, recordMentionsNotified, type CommentRecord } from './comments.ts';

const log = createLogger('comment-notifier');

type Kind = 'MENTIONED' | 'COMMENTED';
type Task = TaskRecord & { board: string; key?: string };

interface Tables extends DeliveryOptions {
  comments: string;
  members: string;
  tasks: string;
}

/** Who hears of a new comment, and how: the people it mentions, then the task's assignee and creator. */
export function recipientsOf(comment: CommentRecord, task: Pick<TaskRecord, 'assigneeId' | 'createdBy'>): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const userId of comment.mentions ?? []) out.set(userId, 'MENTIONED');
  for (const userId of [task.assigneeId, task.createdBy]) if (userId && !out.has(userId)) out.set(userId, 'COMMENTED');
  out.delete(comment.authorId);
  return out;
}

/** The people a comment mentions who have not been told so: never its author. */
export function mentionsNotNotified(comment: CommentRecord): string[] {
  const told = comment.mentionsNotified ?? new Set<string>();
  return (comment.mentions ?? []).filter((userId) => userId !== comment.authorId && !told.has(userId));
}

/**
 * Comments stream -> notifications (in the app and by email), only to people who are on the
 * task's board now (a mention cannot reach outside it); never to the author. A new comment:
 * MENTIONED for each person it mentions, COMMENTED for the task's assignee and creator. An edited
 * comment: MENTIONED for each person it now mentions who had not been told (the comment keeps who
 * was, `mentionsNotified`). Deletions notify nobody.
 */
export const handler = observe(log, async (event: { Records: StreamRecord[] }): Promise<void> => {
  const tables: Tables = {
    table: requiredEnv('NOTIFICATIONS_TABLE'),
    graphqlUrl: requiredEnv('GRAPHQL_URL'),
    usersTable: requiredEnv('USERS_TABLE'),
    comments: requiredEnv('COMMENTS_TABLE'),
    members: requiredEnv('BOARD_MEMBERS_TABLE'),
    tasks: requiredEnv('TASKS_TABLE'),
  };
  for (const record of event.Records) {
    const comment = imagesOf<CommentRecord>(record).after;
    if (!comment) continue;
    if (record.eventName === 'INSERT') await notifyNewComment(comment, tables);
    if (record.eventName === 'MODIFY' && mentionsNotNotified(comment).length > 0) await notifyNewMentions(comment, tables);
  }
});

/**
 * Told as the comment was made (the stream's image; an edit since tells of its own new mentions).
 * The stream is read at least once and may be read late (after a restart, from a checkpoint): a
 * comment deleted since it was made tells nobody of it.
 */
async function notifyNewComment(comment: CommentRecord, tables: Tables): Promise<void> {
  if (!(await readComment(tables.comments, comment.taskId, comment.id))) return;
  const task = await readTask(tables.tasks, comment.taskId);
  if (!task) return; // the task was deleted since
  const about = await describe(comment, task, comment.createdAt, tables.usersTable);
  const told: string[] = [];
  for (const [userId, kind] of recipientsOf(comment, task)) {
    const notified = await notify(userId, kind, about, tables);
    if (notified && kind === 'MENTIONED') told.push(userId);
  }
  await recordMentionsNotified(tables.comments, comment, told);
}

/**
 * An edit (or this function's own record of who was told) changed the comment. The comment is read
 * again rather than trusted from the stream image: the record of who was told, written after an
 * earlier image was taken, is in it, and a comment deleted since notifies nobody.
 */
async function notifyNewMentions(image: CommentRecord, tables: Tables): Promise<void> {
  const comment = await readComment(tables.comments, image.taskId, image.id);
  if (!comment) return;
  let wanted = mentionsNotNotified(comment);
  // Without `mentionsNotified` (a comment made before it was kept, or whose making told nobody
  // of a mention), a mention counts as told if the notification of the comment's making is still
  // kept (30 days); those people are written down as told, so that a later edit need not ask again
  // (once the comment keeps anyone, it is the only record read).
  let toldAtMaking: string[] = [];
  if (!comment.mentionsNotified) {
    const notYet = await withoutNotification(wanted, mentionId(comment.createdAt, comment.id), tables.table);
    toldAtMaking = wanted.filter((userId) => !notYet.includes(userId));
    wanted = notYet;
  }
  const told: string[] = [];
  const task = wanted.length > 0 ? await readTask(tables.tasks, comment.taskId) : undefined;
  if (task) {
    const about = await describe(comment, task, comment.editedAt ?? comment.createdAt, tables.usersTable);
    for (const userId of wanted) if (await notify(userId, 'MENTIONED', about, tables)) told.push(userId);
  }
  await recordMentionsNotified(tables.comments, comment, [...toldAtMaking, ...told]);
}

/** What a comment's notifications say, and when (its creation or its edit). */
interface About {
  commentId: string;
  boardId: string;
  taskId: string;
  at: string;
  who: string;
  title: string;
  excerpt: string;
}

async function describe(comment: CommentRecord, task: Task, at: string, usersTable: string): Promise<About> {
  const author = await getUser(usersTable, comment.authorId);
  return {
    commentId: comment.id,
    boardId: comment.boardId ?? task.board,
    taskId: task.id,
    at,
    who: author?.name || author?.email || 'Someone',
    title: task.key ? `${task.key} "${task.title}"` : `"${task.title}"`,
    excerpt: comment.body.length > 140 ? `${comment.body.slice(0, 139)}…` : comment.body,
  };
}

/** Notifies one person if they are on the task's board; answers whether they were. */
async function notify(userId: string, kind: Kind, about: About, tables: Tables): Promise<boolean> {
  if (!(await findMembership(tables.members, about.boardId, userId))) return false;
  const mentioned = kind === 'MENTIONED';
  const notification: NotificationRecord = {
    id: mentioned ? mentionId(about.at, about.commentId) : `${about.at}#comment#${about.commentId}`,
    userId,
    boardId: about.boardId,
    kind,
    taskId: about.taskId,
    message: `${about.who} ${mentioned ? 'mentioned you on' : 'commented on'} ${about.title}: ${about.excerpt}`,
    sequence: 0,
    createdAt: about.at,
  };
  await deliver(notification, tables);
  log.info('notified', { userId, kind, taskId: about.taskId });
  return true;
}

/** A mention's notification id: at the comment's creation or edit, so a retried record repeats it. */
function mentionId(at: string, commentId: string): string {
  return `${at}#mention#${commentId}`;
}

async function withoutNotification(userIds: string[], notificationId: string, table: string): Promise<string[]> {
  const out: string[] = [];
  for (const userId of userIds) {
    const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: marshall({ userId, id: notificationId }), ConsistentRead: true }));
    if (!Item) out.push(userId);
  }
  return out;
}

async function readTask(table: string, taskId: string): Promise<Task | undefined> {
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: { id: { S: taskId } } }));
  return Item ? (unmarshall(Item) as Task) : undefined;
}
