import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamodb } from '../shared/aws-clients.ts';

/** A comment as the Comments table holds it. */
export interface CommentRecord {
  boardId?: string;
  taskId: string;
  id: string;
  authorId: string;
  body: string;
  mentions?: string[];
  createdAt: string;
  editedAt?: string;
  /**
   * The people already told that this comment mentions them (written by this function, never by
   * the API): an edit notifies only the mentions outside it. Absent on comments whose mentions
   * were all notified, if at all, before it existed.
   */
  mentionsNotified?: Set<string>;
}

/** The comment as it is now (strongly consistent), or undefined once deleted. */
export async function readComment(table: string, taskId: string, id: string): Promise<CommentRecord | undefined> {
  const { Item } = await dynamodb().send(new GetItemCommand({ TableName: table, Key: marshall({ taskId, id }), ConsistentRead: true }));
  return Item ? (unmarshall(Item) as CommentRecord) : undefined;
}

/**
 * Adds people to the comment's `mentionsNotified`. A comment deleted meanwhile stays deleted (the
 * write is conditional on it being there). The write comes back through the Comments stream as a
 * MODIFY whose mentions are all notified: nothing follows from it.
 */
export async function recordMentionsNotified(table: string, comment: Pick<CommentRecord, 'taskId' | 'id'>, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  try {
    await dynamodb().send(
      new UpdateItemCommand({
        TableName: table,
        Key: marshall({ taskId: comment.taskId, id: comment.id }),
        UpdateExpression: 'ADD mentionsNotified :people',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':people': { SS: userIds } },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
