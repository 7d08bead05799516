import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { appendAudit } from '../shared/audit.ts';
import { dynamodb } from '../shared/aws-clients.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { imagesOf, type StreamRecord } from '../shared/stream-record.ts';
import { deleteObjects, deletePrefix } from '../shared/uploads.ts';
import type { UserRecord } from '../shared/users.ts';
import { imageKeys } from '../verification/image-keys.ts';
import { sessionsByEmail } from '../verification/sessions.ts';

const log = createLogger('user-erasure');

/**
 * Users stream -> erasure. When a user is deleted, their reference face, every image of every
 * verification session of their email, and those sessions' records are deleted, and the
 * erasure is audited by user id only. Every step can run twice (a retried batch) harmlessly.
 */
export const handler = observe(log, async (event: { Records: StreamRecord[] }): Promise<void> => {
  const sessionsTable = requiredEnv('VERIFICATION_SESSIONS_TABLE');
  const bucket = requiredEnv('IMAGES_BUCKET');
  for (const record of event.Records) {
    if (record.eventName !== 'REMOVE') continue;
    const { before: user } = imagesOf<UserRecord>(record);
    if (!user) continue;
    const sessions = await sessionsByEmail(sessionsTable, user.email);
    await deleteObjects(bucket, [user.referenceFaceKey ?? imageKeys.referenceFace(user.id)]);
    for (const session of sessions) await deletePrefix(bucket, imageKeys.sessionPrefix(session.id));
    for (const session of sessions) {
      await dynamodb().send(new DeleteItemCommand({ TableName: sessionsTable, Key: { id: { S: session.id } } }));
    }
    await appendAudit(requiredEnv('AUDIT_LOG_TABLE'), {
      actorId: 'system',
      action: 'USER_ERASED',
      targetId: user.id,
      outcome: 'ERASED',
      details: { referenceFace: true, sessions: sessions.length },
    });
    log.info('erased', { userId: user.id, sessions: sessions.length });
  }
});
