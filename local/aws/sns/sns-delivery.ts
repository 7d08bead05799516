import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SNSEvent } from './sns-types.ts';

/** One subscription's deliveries in progress. */
export interface Deliveries {
  /** Starts delivering the event; the publisher's answer does not wait for it. */
  push(event: SNSEvent): void;
  /** Nothing being delivered or waiting to be retried. */
  isIdle(): boolean;
}

/** What a {@link Deliveries} needs to know. */
export interface DeliveriesOptions {
  topic: string;
  subscriber: { name: string; deliver: (event: SNSEvent) => Promise<unknown> };
  /** Total tries per message, the first included. */
  attempts: number;
  /** Wait before the second try; it doubles before each further one. */
  baseDelayMs: number;
  /** Folder for `<topic>-<subscriber>.jsonl`; without one, given-up messages are only logged. */
  deadLetterDir?: string;
  log: (line: string) => void;
  /** Called each time the last delivery in progress ends. */
  onIdle: () => void;
}

/**
 * One subscription's deliveries, as a standard SNS topic makes them: each message goes on its own,
 * at once, beside the others, so no order is promised between messages (a standard topic
 * promises none). A delivery that fails is retried after 100 ms, 200 ms, 400 ms… by default;
 * past its tries SNS sends the message to the subscription's dead-letter queue, the JSON lines
 * file here. A Lambda subscriber fails delivery only when Lambda cannot queue the event: its own
 * errors are Lambda's asynchronous retries (local/aws/lambda/async-invoke.ts), not SNS's.
 */
export function createDeliveries(options: DeliveriesOptions): Deliveries {
  let inFlight = 0;

  const deliverOne = async (event: SNSEvent): Promise<void> => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      try {
        // Each try gets its own copy, as each Lambda invocation deserialises its own event.
        await options.subscriber.deliver(structuredClone(event));
        return;
      } catch (error) {
        lastError = error;
        if (attempt < options.attempts) {
          const delayMs = options.baseDelayMs * 2 ** (attempt - 1);
          options.log(JSON.stringify({ level: 'warn', msg: 'sns delivery failed; retrying', topic: options.topic, subscriber: options.subscriber.name, messageId: event.Records[0]?.Sns.MessageId, attempt, delayMs, error: describe(error) }));
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
      }
    }
    await deadLetter(event, lastError);
  };

  const deadLetter = async (event: SNSEvent, error: unknown): Promise<void> => {
    const messageId = event.Records[0]?.Sns.MessageId;
    let file: string | undefined;
    if (options.deadLetterDir) {
      file = join(options.deadLetterDir, `${options.topic}-${options.subscriber.name}.jsonl`);
      const line = { deadLetteredAt: new Date().toISOString(), topic: options.topic, subscriber: options.subscriber.name, attempts: options.attempts, error: describe(error), event };
      try {
        await mkdir(options.deadLetterDir, { recursive: true });
        await appendFile(file, `${JSON.stringify(line)}\n`);
      } catch (writeError) {
        options.log(JSON.stringify({ level: 'error', msg: 'writing the sns dead letter failed', file, error: describe(writeError), event }));
      }
    }
    options.log(JSON.stringify({ level: 'error', msg: 'sns delivery gave up; message dead-lettered', topic: options.topic, subscriber: options.subscriber.name, messageId, attempts: options.attempts, file, error: describe(error) }));
  };

  return {
    push(event) {
      inFlight += 1;
      // The publisher's answer is already on its way; delivery starts after it, as in SNS.
      setImmediate(() =>
        void deliverOne(event).finally(() => {
          inFlight -= 1;
          if (inFlight === 0) options.onIdle();
        }),
      );
    },
    isIdle: () => inFlight === 0,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
