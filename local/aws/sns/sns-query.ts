import type { SNSMessageAttribute } from './sns-types.ts';
import { SecureTaskError } from '../../../lib/errors.ts';

/**
 * The AWS Query protocol as SNS speaks it: form-encoded parameters in, XML out. Only what the
 * `Publish` and `PublishBatch` actions need, with SNS's own limits and error codes so a caller
 * that is wrong locally is wrong in AWS too.
 */

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS's limit on a message plus its attributes (and on a whole batch). */
export const MAX_PAYLOAD_BYTES = 262_144;
const MAX_ATTRIBUTES = 10;

/** An error SNS would answer with; `code` is what the SDK turns into an exception class. */
export class SnsError extends SecureTaskError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'SnsError';
  }
}

/** A message as one publish call described it, checked. */
export interface PublishRequest {
  message: string;
  subject?: string;
  attributes: Record<string, SNSMessageAttribute>;
}

/** Reads `<prefix>Message`, `<prefix>Subject` and `<prefix>MessageAttributes.entry.N.*`. */
export function readPublishRequest(params: URLSearchParams, prefix = ''): PublishRequest {
  const message = params.get(`${prefix}Message`);
  if (message === null) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message Reason: no value for required parameter');
  if (message === '') throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
  const subject = params.get(`${prefix}Subject`) ?? undefined;
  if (subject !== undefined && (subject === '' || subject.length > 100 || /[\r\n]/.test(subject))) {
    throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Subject');
  }
  const attributes = readAttributes(params, `${prefix}MessageAttributes.entry.`);
  if (payloadBytes({ message, attributes }) > MAX_PAYLOAD_BYTES) {
    throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message too long');
  }
  return { message, subject, attributes };
}

function readAttributes(params: URLSearchParams, prefix: string): Record<string, SNSMessageAttribute> {
  const attributes: Record<string, SNSMessageAttribute> = {};
  for (let n = 1; params.has(`${prefix}${n}.Name`); n++) {
    const name = params.get(`${prefix}${n}.Name`)!;
    const type = params.get(`${prefix}${n}.Value.DataType`) ?? '';
    const text = params.get(`${prefix}${n}.Value.StringValue`);
    const binary = params.get(`${prefix}${n}.Value.BinaryValue`);
    const invalid = (why: string) => new SnsError(400, 'ParameterValueInvalid', `The message attribute '${name}' ${why}`);
    if (n > MAX_ATTRIBUTES) throw new SnsError(400, 'InvalidParameter', `Invalid parameter: MessageAttributes: at most ${MAX_ATTRIBUTES} attributes`);
    if (!/^[A-Za-z0-9_\-.]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws|amazon)\./i.test(name)) {
      throw new SnsError(400, 'ParameterValueInvalid', `The message attribute name '${name}' is invalid`);
    }
    const kind = type.split('.')[0];
    if (kind === 'Binary') {
      if (binary === null) throw invalid('must contain non-empty message attribute value for message attribute type Binary.');
      attributes[name] = { Type: type, Value: binary };
    } else if (kind === 'String' || kind === 'Number') {
      if (text === null || text === '') throw invalid(`must contain non-empty message attribute value for message attribute type ${type}.`);
      if (kind === 'Number' && !Number.isFinite(Number(text))) throw invalid(`has an invalid message attribute type, the value ${text} is not a valid Number.`);
      if (type === 'String.Array' && !isJsonArray(text)) throw invalid('has an invalid value for message attribute type String.Array.');
      attributes[name] = { Type: type, Value: text };
    } else {
      throw invalid(`has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
  }
  return attributes;
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Bytes SNS counts against the 256 KB limit: the message plus each attribute's name, type and value. */
export function payloadBytes(request: Pick<PublishRequest, 'message' | 'attributes'>): number {
  let size = Buffer.byteLength(request.message);
  for (const [name, { Type, Value }] of Object.entries(request.attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(Type) + (Type.startsWith('Binary') ? Buffer.from(Value, 'base64').length : Buffer.byteLength(Value));
  }
  return size;
}

/** `<Prefix>.member.N.<field>` lists, as the Query protocol flattens them, up to the first gap. */
export function readMembers(params: URLSearchParams, list: string): string[] {
  const prefixes: string[] = [];
  for (let n = 1; [...params.keys()].some((k) => k.startsWith(`${list}.member.${n}.`)); n++) prefixes.push(`${list}.member.${n}.`);
  return prefixes;
}

/** Escapes text for an XML element body. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** The success document of `action`: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`. */
export function resultDocument(action: string, resultXml: string, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${XMLNS}"><${action}Result>${resultXml}</${action}Result>` +
    `<ResponseMetadata><RequestId>${xml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** The error document the SDK's Query deserialiser reads `Error.Code` and `Error.Message` from. */
export function errorDocument(error: SnsError, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>${error.type}</Type><Code>${xml(error.code)}</Code>` +
    `<Message>${xml(error.message)}</Message></Error><RequestId>${xml(requestId)}</RequestId></ErrorResponse>`
  );
}
