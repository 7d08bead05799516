/**
 * AppSync's real-time protocol (subprotocol `graphql-ws`; not `graphql-transport-ws`): every
 * message, and the validation of what clients send. Nothing here does I/O.
 */

/** The subprotocol AppSync speaks. */
export const SUBPROTOCOL = 'graphql-ws';
/** Prefix of the subprotocol that carries the auth headers (base64url JSON) in current clients. */
export const HEADER_SUBPROTOCOL_PREFIX = 'header-';

/** An error as AppSync puts it in `error` and `connection_error` payloads. */
export interface ProtocolError {
  /** Absent on validation errors, which AppSync sends as `{ message }` only. */
  errorType?: string;
  message: string;
  errorCode?: number;
}

/** The WebSocket close codes the endpoint uses, and why. */
export const CLOSE = {
  /** After a refused connection's `connection_error` (AppSync closes normally, reason UnauthorizedException). */
  refused: 1000,
  /** The server failed handling a message. */
  internalError: 1011,
} as const;

/**
 * AppSync's limit on one subscription message: "Subscription payload size: 240 kilobytes"
 * (https://docs.aws.amazon.com/general/latest/gr/appsync.html, AppSync quotas).
 */
export const MAX_SUBSCRIPTION_PAYLOAD_BYTES = 240 * 1024;

/** The `errorType`s of `error` and `connection_error` payloads, as AppSync names them. */
export const ERROR_TYPE = {
  unauthorized: 'UnauthorizedException',
  duplicatedOperation: 'DuplicatedOperationError',
  limitExceeded: 'LimitExceededError',
  badRequest: 'BadRequestException',
} as const;

/** One AppSync protocol error, `{ errorType, message, errorCode? }`. */
export function protocolError(errorType: string, message: string, errorCode?: number): ProtocolError {
  return errorCode === undefined ? { errorType, message } : { errorType, message, errorCode };
}

/** What a client may send. */
export type ClientMessage =
  | { type: 'connection_init'; payload?: unknown }
  | { type: 'start'; id: string; payload: { data: string; extensions: { authorization: Record<string, string> } } }
  | { type: 'stop'; id: string };

/** What the server sends. */
export type ServerMessage =
  | { type: 'connection_ack'; payload: { connectionTimeoutMs: number } }
  | { type: 'connection_error'; payload: { errors: ProtocolError[] } }
  | { type: 'ka' }
  | { type: 'start_ack'; id: string }
  | { type: 'data'; id: string; payload: { data: unknown; errors?: unknown[] } }
  | { type: 'error'; id?: string; payload: { errors: ProtocolError[] } }
  | { type: 'complete'; id: string };

/** A client message that could not be read; `id` is set when the message named one. */
export class InvalidMessageError extends Error {
  constructor(
    message: string,
    readonly id?: string,
  ) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

/** The GraphQL request inside a `start` message's `data` string. */
export interface StartRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** Reads and checks one client message. Throws `InvalidMessageError`. */
export function parseClientMessage(raw: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new InvalidMessageError('Message is not valid JSON.');
  }
  if (!isObject(value) || typeof value.type !== 'string') throw new InvalidMessageError('Message must be a JSON object with a "type".');
  const id = typeof value.id === 'string' ? value.id : undefined;
  switch (value.type) {
    case 'connection_init':
      return { type: 'connection_init', payload: value.payload };
    case 'stop':
      if (!id) throw new InvalidMessageError('"stop" needs an "id".');
      return { type: 'stop', id };
    case 'start': {
      if (!id || id.length > 128) throw new InvalidMessageError('"start" needs an "id" of at most 128 characters.');
      const payload = value.payload;
      if (!isObject(payload) || typeof payload.data !== 'string') throw new InvalidMessageError('"start" needs payload.data, a JSON string.', id);
      const extensions = isObject(payload.extensions) ? payload.extensions : {};
      const authorization = isObject(extensions.authorization) ? stringRecord(extensions.authorization) : {};
      return { type: 'start', id, payload: { data: payload.data, extensions: { authorization } } };
    }
    default:
      throw new InvalidMessageError(`Message type "${value.type}" is not part of the protocol.`, id);
  }
}

/** Reads the GraphQL request out of a `start` message's `data`. Throws `InvalidMessageError`. */
export function parseStartData(data: string, id: string): StartRequest {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new InvalidMessageError('payload.data is not valid JSON.', id);
  }
  if (!isObject(value) || typeof value.query !== 'string') throw new InvalidMessageError('payload.data needs a "query" string.', id);
  const variables = value.variables;
  if (variables != null && !isObject(variables)) throw new InvalidMessageError('"variables" must be an object.', id);
  const operationName = typeof value.operationName === 'string' ? value.operationName : undefined;
  return { query: value.query, variables: (variables as Record<string, unknown>) ?? undefined, operationName };
}

/** The upgrade request's own headers that carry auth, as AppSync reads them when no encoded header was sent. */
const AUTH_HEADERS = ['authorization', 'x-api-key', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host'];

/**
 * The auth headers of a connection: from the `header-<base64url JSON>` subprotocol that current
 * clients send, from `?header=<base64 JSON>` that older ones send, or else from the upgrade
 * request's plain HTTP headers (`Authorization`, `x-api-key`...), which AppSync accepts too (a
 * server-side client such as Node's `ws` can set them). Undefined when none carries auth.
 */
export function connectionHeaders(subprotocols: readonly string[], query: URLSearchParams, upgradeHeaders: Record<string, string | string[] | undefined> = {}): Record<string, string> | undefined {
  const fromProtocol = subprotocols.find((p) => p.startsWith(HEADER_SUBPROTOCOL_PREFIX));
  const encoded = fromProtocol ? fromProtocol.slice(HEADER_SUBPROTOCOL_PREFIX.length) : query.get('header');
  if (!encoded) return plainAuthHeaders(upgradeHeaders);
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
    return isObject(decoded) ? stringRecord(decoded) : undefined;
  } catch {
    return undefined;
  }
}

function plainAuthHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> | undefined {
  const picked = Object.fromEntries(AUTH_HEADERS.flatMap((name) => (typeof headers[name] === 'string' ? [[name, headers[name] as string]] : [])));
  return picked.authorization || picked['x-api-key'] ? picked : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
