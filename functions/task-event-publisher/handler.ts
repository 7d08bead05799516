import { callAppSyncWithIam } from '../shared/appsync-iam.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { TASK_EVENT_FIELDS, type TaskEvent } from '../shared/task-event.ts';

/** The SNS event delivered to a Lambda subscriber (the parts read here). */
export interface SnsEvent {
  Records: { Sns: { Message: string; MessageId: string } }[];
}

const PUBLISH = `mutation PublishTaskEvent($event: TaskEventInput!) { publishTaskEvent(event: $event) { ${TASK_EVENT_FIELDS} } }`;
const log = createLogger('task-event-publisher');

/**
 * TaskEvents topic -> the `publishTaskEvent` mutation with IAM auth, which AppSync turns into
 * onTaskEvent messages (its selection set is what subscribers receive). A failure throws, so
 * SNS retries the delivery.
 */
export const handler = observe(log, async (event: SnsEvent): Promise<void> => {
  const url = process.env.GRAPHQL_URL;
  if (!url) throw new Error('GRAPHQL_URL is not set');
  for (const record of event.Records) {
    const taskEvent = JSON.parse(record.Sns.Message) as TaskEvent;
    await callAppSyncWithIam(url, PUBLISH, { event: taskEvent });
    log.info('delivered to AppSync', { sequence: taskEvent.sequence, messageId: record.Sns.MessageId });
  }
});
