/**
 * The messages of StartFaceLivenessSession's WebSocket, in AWS's event-stream binary framing
 * (prelude, headers, payload, CRCs), encoded and decoded by the SDK's own codec
 * (`@smithy/core/event-streams`, which `@smithy/eventstream-codec` re-exports).
 *
 * From the client every WebSocket message is one signed envelope: headers `:date` and
 * `:chunk-signature`, and as payload one event message (`:message-type` event, `:event-type`
 * ClientSessionInformationEvent or VideoEvent, JSON body); an envelope with an empty payload ends
 * the request stream. To the client go plain event messages (ServerSessionInformationEvent,
 * ChallengeEvent, DisconnectionEvent), modelled exceptions (`:message-type` exception) and, for
 * errors the stream's union does not model (InvalidSignatureException, AccessDeniedException,
 * SessionNotFoundException), `:message-type` error with `:error-code` and `:error-message`, which
 * the SDK raises as an Error of that name.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import type { Message, MessageHeaders } from '@smithy/types';
import { SecureTaskError } from '../../../../../lib/errors.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** A message the client signed: the wrapped event bytes and what signs them. */
export interface SignedEnvelope {
  date: Date;
  /** Hex. */
  signature: string;
  /** The event message inside, or empty for the end of the request stream. */
  payload: Uint8Array;
  /** The envelope's headers as sent, for recomputing the signature. */
  headers: MessageHeaders;
}

/** An event from the client. */
export type ClientEvent = { type: 'ClientSessionInformationEvent'; body: unknown } | { type: 'VideoEvent'; body: unknown };

/** A frame that is not what the protocol says; `message` says what is wrong with it. */
export class ProtocolError extends SecureTaskError {
  override readonly code = 'PROTOCOL';
}

/** Decodes one WebSocket message as a signed envelope (prelude and message CRCs checked). */
export function decodeEnvelope(bytes: Uint8Array): SignedEnvelope {
  let message: Message;
  try {
    message = codec.decode(bytes);
  } catch (error) {
    throw new ProtocolError(`not an event-stream message: ${(error as Error).message}`);
  }
  const date = message.headers[':date'];
  const signature = message.headers[':chunk-signature'];
  if (date?.type !== 'timestamp' || signature?.type !== 'binary') throw new ProtocolError('an event must be signed (:date and :chunk-signature headers)');
  return { date: date.value, signature: Buffer.from(signature.value).toString('hex'), payload: message.body, headers: message.headers };
}

/** Decodes the event inside an envelope. */
export function decodeEvent(payload: Uint8Array): ClientEvent {
  let message: Message;
  try {
    message = codec.decode(payload);
  } catch (error) {
    throw new ProtocolError(`not an event-stream message: ${(error as Error).message}`);
  }
  const header = (name: string) => {
    const h = message.headers[name];
    return h?.type === 'string' ? h.value : undefined;
  };
  if (header(':message-type') !== 'event') throw new ProtocolError(`expected an event, got :message-type ${header(':message-type') ?? 'none'}`);
  const type = header(':event-type');
  if (type !== 'ClientSessionInformationEvent' && type !== 'VideoEvent') throw new ProtocolError(`unknown event type ${type ?? 'none'}`);
  let body: unknown;
  try {
    body = JSON.parse(toUtf8(message.body));
  } catch {
    throw new ProtocolError(`the ${type} body is not JSON`);
  }
  return { type, body };
}

/** An event message: the server's (ServerSessionInformationEvent, ChallengeEvent, DisconnectionEvent), or a client's inside its envelope. */
export function encodeEvent(type: string, body: unknown): Uint8Array {
  return codec.encode({
    headers: { ':message-type': text('event'), ':event-type': text(type), ':content-type': text('application/json') },
    body: fromUtf8(JSON.stringify(body)),
  });
}

/** A modelled exception of the response stream (ValidationException, InternalServerException, ThrottlingException, ...). */
export function encodeException(type: string, message: string): Uint8Array {
  return codec.encode({
    headers: { ':message-type': text('exception'), ':exception-type': text(type), ':content-type': text('application/json') },
    body: fromUtf8(JSON.stringify({ Message: message })),
  });
}

/** An error outside the stream's model (signature, access, session not found): the SDK raises it by this name. */
export function encodeError(code: string, message: string): Uint8Array {
  return codec.encode({ headers: { ':message-type': text('error'), ':error-code': text(code), ':error-message': text(message) }, body: new Uint8Array(0) });
}

/** Encodes a signed envelope (for tests speaking the protocol by hand). */
export function encodeEnvelope(payload: Uint8Array, date: Date, signatureHex: string): Uint8Array {
  return codec.encode({ headers: { ':date': { type: 'timestamp', value: date }, ':chunk-signature': { type: 'binary', value: Buffer.from(signatureHex, 'hex') } }, body: payload });
}

function text(value: string) {
  return { type: 'string' as const, value };
}
