import type { TaskEvent } from './task-event.ts';

/**
 * Task events travel through the TaskEvents topic several to a message: `{"events":[...]}`, in
 * sequence order. A standard SNS topic promises no order between messages, and may deliver one
 * twice; inside a message the order holds. Subscribers therefore apply events by their sequence
 * (the board's feed reorders and fetches gaps), never by arrival.
 */
export interface TaskEventMessage {
  events: TaskEvent[];
}

/** SNS's limit on one message, and on all the messages of one PublishBatch together. */
export const SNS_MAX_BYTES = 262_144;
/** Messages per PublishBatch call (SNS's limit). */
export const SNS_BATCH_ENTRIES = 10;

const ENVELOPE_BYTES = Buffer.byteLength('{"events":[]}');

/** An event too large for any message: it cannot be sent through SNS at all. */
export class EventTooLargeError extends Error {
  constructor(readonly sequence: number, readonly bytes: number) {
    super(`task event ${sequence} is ${bytes} bytes as JSON; an SNS message holds at most ${SNS_MAX_BYTES}`);
    this.name = 'EventTooLargeError';
  }
}

/** One message's body and the events in it. */
export interface PackedMessage {
  body: string;
  events: TaskEvent[];
}

/**
 * Packs events, in the order given, into as few messages as SNS's size limit allows, and the
 * messages into PublishBatch calls (at most 10 messages and 256 KiB each). The order of the
 * events is the order of the messages and calls.
 */
export function packTaskEvents(events: TaskEvent[], maxBytes = SNS_MAX_BYTES): PackedMessage[][] {
  const messages: PackedMessage[] = [];
  let current: { json: string[]; events: TaskEvent[]; bytes: number } | undefined;
  const close = () => {
    if (current) messages.push({ body: `{"events":[${current.json.join(',')}]}`, events: current.events });
    current = undefined;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (bytes + ENVELOPE_BYTES > maxBytes) throw new EventTooLargeError(event.sequence, bytes);
    if (current && current.bytes + 1 + bytes > maxBytes) close();
    current ??= { json: [], events: [], bytes: ENVELOPE_BYTES - 1 };
    current.json.push(json);
    current.events.push(event);
    current.bytes += 1 + bytes;
  }
  close();

  const calls: PackedMessage[][] = [];
  let call: PackedMessage[] = [];
  let callBytes = 0;
  for (const message of messages) {
    const bytes = Buffer.byteLength(message.body);
    if (call.length === SNS_BATCH_ENTRIES || (call.length > 0 && callBytes + bytes > maxBytes)) {
      calls.push(call);
      call = [];
      callBytes = 0;
    }
    call.push(message);
    callBytes += bytes;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}

/** The events of a TaskEvents message, in order. A message of one bare event (as sent before batching) is read too. */
export function readTaskEventMessage(message: string): TaskEvent[] {
  const parsed = JSON.parse(message) as TaskEventMessage | TaskEvent;
  if (Array.isArray((parsed as TaskEventMessage).events)) return (parsed as TaskEventMessage).events;
  return [parsed as TaskEvent];
}
