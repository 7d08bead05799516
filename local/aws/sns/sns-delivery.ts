import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SNSEvent } from './sns-types.ts';

/** One subscription's delivery line. */
export interface DeliveryQueue {
  /** Queues the event behind everything queued before it. */
  push(event: SNSEvent): void;
  /** Nothing queued and nothing being delivered. */
  isIdle(): boolean;
}

/** What a {@link DeliveryQueue} needs to know. */
export interface DeliveryQueueOptions {
  topic: string;
  subscriber: { name: string; deliver: (event: SNSEvent) => Promise<unknown> };
  /** Total tries per message, the first included. */
  attempts: number;
  /** Wait before the second try; it doubles before each further one. */
  baseDelayMs: number;
  /** Folder for `<topic>-<subscriber>.jsonl`; without one, given-up messages are only logged. */
  deadLetterDir?: string;
  log: (line: string) => void;
  /** Called each time the queue becomes empty. */
  onIdle: () => void;
}

/**
 * A strictly ordered delivery line for one subscriber: message N+1 is not handed over before
 * message N succeeded or was given up (dead-lettered). Retries wait 100 ms, 200 ms, 400 ms… by
 * default, as SNS retries a failed Lambda invocation; SNS then sends the message to the
 * subscription's dead-letter queue, which is the JSON lines file here.
 */
export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const pending: SNSEvent[] = [];
  let running = false;

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

  const pump = async (): Promise<void> => {
    while (pending.length > 0) {
      await deliverOne(pending[0]!);
      pending.shift();
    }
    running = false;
    options.onIdle();
  };

  return {
    push(event) {
      pending.push(event);
      if (running) return;
      running = true;
      // The publisher's answer is already on its way; delivery starts after it, as in SNS.
      setImmediate(() => void pump());
    },
    isIdle: () => !running && pending.length === 0,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
