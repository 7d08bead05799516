import { callMutationForEach, type MutationField } from '../shared/appsync-iam.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { TASK_EVENT_FIELDS } from '../shared/task-event.ts';
import { readTaskEventMessage } from '../shared/task-event-messages.ts';

/** The SNS event delivered to a Lambda subscriber (the parts read here). */
export interface SnsEvent {
  Records: { Sns: { Message: string; MessageId: string } }[];
}

const PUBLISH: MutationField = { field: 'publishTaskEvent', argument: 'event', inputType: 'TaskEventInput', selection: TASK_EVENT_FIELDS };
const log = createLogger('task-event-publisher');

/**
 * TaskEvents topic -> the `publishTaskEvent` mutation with IAM auth, which AppSync turns into
 * onTaskEvent messages (its selection set is what subscribers receive). A message's events go
 * out in its order, up to 25 to a request (see `callMutationForEach`). A failure throws, so SNS
 * retries the delivery; events already sent are sent again, and subscribers know them by their
 * sequence.
 */
export const handler = observe(log, async (event: SnsEvent): Promise<void> => {
  const url = process.env.GRAPHQL_URL;
  if (!url) throw new Error('GRAPHQL_URL is not set');
  for (const record of event.Records) {
    const events = readTaskEventMessage(record.Sns.Message);
    await callMutationForEach(url, PUBLISH, events);
    log.info('delivered to AppSync', { events: events.length, first: events[0]?.sequence, last: events.at(-1)?.sequence, messageId: record.Sns.MessageId });
  }
});
