/**
 * A live reference image serves one verification session, once. Its SHA-256 is recorded with a
 * conditional write the first time it serves; the same bytes presented again, by any session,
 * find the record and are refused. Rekognition takes a new frame for every liveness check, so
 * identical bytes mean an image replayed into the flow, not a person who came back.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamodb } from '../../shared/aws-clients.ts';

/** The hex SHA-256 of an image's bytes. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Records that the image with `hash` served `sessionId`, until `expiresAt` (epoch seconds, when
 * DynamoDB's TTL removes the record). Answers false when it already served another session; the
 * same session recording it again (a retried call) is no reuse.
 */
export async function recordFirstUse(table: string, hash: string, sessionId: string, expiresAt: number): Promise<boolean> {
  try {
    await dynamodb().send(
      new PutItemCommand({
        TableName: table,
        Item: { hash: { S: hash }, sessionId: { S: sessionId }, expiresAt: { N: String(expiresAt) } },
        ConditionExpression: 'attribute_not_exists(#hash) OR sessionId = :session',
        ExpressionAttributeNames: { '#hash': 'hash' },
        ExpressionAttributeValues: { ':session': { S: sessionId } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
