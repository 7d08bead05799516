import { PublishCommand } from '@aws-sdk/client-sns';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { dynamodb, sns } from '../shared/aws-clients.ts';
import { taskEventFromRecord, type TaskStreamRecord } from './events.ts';
import { claimPublish, markPublished, recordEvent } from './ledger.ts';

const log = createLogger('task-stream');

/**
 * Tasks table stream -> task events. Records are handled in order; each is numbered and stored
 * once (see `recordEvent`) and then published to the TaskEvents topic under a claim (see
 * `claimPublish`), so two invocations on the same records never both publish it. A failure
 * throws, so the event source mapping retries the batch; records already done are skipped.
 * A crash between the publish and `markPublished` still sends that one event again (SNS and
 * Lambda are at-least-once): subscribers recognise it by its sequence.
 */
export const handler = observe(log, async (event: { Records: TaskStreamRecord[] }): Promise<void> => {
  const tables = { ledger: requiredEnv('EVENT_LEDGER_TABLE'), events: requiredEnv('TASK_EVENTS_TABLE'), board: 'main' };
  const topicArn = requiredEnv('TASK_EVENTS_TOPIC_ARN');
  for (const record of event.Records) {
    const entry = await recordEvent(dynamodb(), tables, record.eventID, taskEventFromRecord(record));
    if (entry.published) continue;
    const claim = await claimPublish(dynamodb(), tables, record.eventID);
    if (claim === 'published') continue;
    // Another invocation is publishing this very event: fail the batch, so the retry (after a
    // backoff) finds it published, or the claim lapsed because that invocation died.
    if (claim === 'held') throw new Error(`task event ${entry.event.sequence} is being published by another invocation; retrying the batch`);
    await sns().send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(entry.event),
        MessageAttributes: {
          type: { DataType: 'String', StringValue: entry.event.type },
          taskId: { DataType: 'String', StringValue: entry.event.taskId },
        },
      }),
    );
    await markPublished(dynamodb(), tables, record.eventID);
    log.info('published', { sequence: entry.event.sequence, type: entry.event.type, taskId: entry.event.taskId });
  }
});
