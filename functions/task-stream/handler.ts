import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { dynamodb, sns } from '../shared/aws-clients.ts';
import { failuresFrom, type StreamBatchResponse } from '../shared/stream-record.ts';
import { publishBatch } from './batch.ts';
import type { TaskStreamRecord } from './events.ts';

const log = createLogger('task-stream');

/**
 * Tasks table stream -> task events on the TaskEvents topic, a batch at a time (see
 * `publishBatch`). Records it could not finish are reported as batch item failures, so the
 * event source mapping retries from the first of them and never from the start of the batch.
 */
export const handler = observe(log, async (event: { Records: TaskStreamRecord[] }, context): Promise<StreamBatchResponse> => {
  const tables = { ledger: requiredEnv('EVENT_LEDGER_TABLE'), events: requiredEnv('TASK_EVENTS_TABLE') };
  const deadline = context ? Date.now() + context.getRemainingTimeInMillis() : undefined;
  const outcome = await publishBatch(event.Records, { dynamodb: dynamodb(), sns: sns(), tables, topicArn: requiredEnv('TASK_EVENTS_TOPIC_ARN'), log, deadline });
  if (outcome.done < event.Records.length) {
    log.warn('batch stopped early; the rest is retried', { records: event.Records.length, done: outcome.done, error: String(outcome.error) });
  }
  return failuresFrom(event.Records, outcome.done);
});
