import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine.ts';
import type { IncomingRequest } from '../request.ts';
import type { StartResult } from './start.ts';
import type { SubscriptionHub } from './hub.ts';
import {
  connectionHeaders,
  InvalidMessageError,
  parseClientMessage,
  parseStartData,
  type ServerMessage,
  CLOSE,
  ERROR_TYPE,
  MAX_SUBSCRIPTION_PAYLOAD_BYTES,
  protocolError,
} from './protocol.ts';

/** A socket as the core sees it; adapters (ws, tests) provide it. */
export interface RealtimeSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** The opening request of a connection. */
export interface ConnectionRequest {
  /** The GraphQL endpoint's path (`/graphql`), the connection being `<path>/realtime`. */
  graphqlPath: string;
  query: URLSearchParams;
  subprotocols: readonly string[];
  host: string;
  sourceIp: string;
  /** The upgrade request's HTTP headers (lower-cased names): auth may come as plain headers. */
  headers?: Record<string, string | string[] | undefined>;
}

/** One open connection: feed it what the client sends; tell it when the socket closed. */
export interface RealtimeConnection {
  receive(text: string): Promise<void>;
  closed(): void;
}

/** The real-time endpoint's core: opens connections for a transport adapter. */
export interface RealtimeCore {
  /** Opens a connection; when its auth fails, the connection answers `connection_error` (to `connection_init`, or after a moment) and closes. */
  open(socket: RealtimeSocket, request: ConnectionRequest): Promise<RealtimeConnection | undefined>;
}

export interface RealtimeOptions {
  engine: Engine;
  hub: SubscriptionHub;
  /** Told to clients in `connection_ack`; they drop the connection after this long without a `ka`. */
  connectionTimeoutMs?: number;
  /** How often `ka` goes out (AppSync: every minute). */
  keepAliveMs?: number;
  maxSubscriptionsPerConnection?: number;
  maxMessageBytes?: number;
}

/** How long a refused connection waits for `connection_init` before it is told anyway. */
const REFUSAL_DELAY_MS = 500;

const DEFAULTS = {
  connectionTimeoutMs: 300_000,
  keepAliveMs: 60_000,
  maxSubscriptionsPerConnection: 100,
  maxMessageBytes: 128 * 1024,
};

/**
 * The transport-agnostic core of AppSync's real-time endpoint: authenticates the connection
 * from its header (subprotocol or query), acknowledges `connection_init`, keeps the connection
 * alive, and runs each `start` through the same auth pipeline, directive rules and resolvers as
 * HTTP before registering it with the hub.
 */
export function createRealtimeCore(options: RealtimeOptions): RealtimeCore {
  const settings = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & RealtimeOptions;

  return {
    /** Opens a connection; when its auth fails, the connection answers `connection_error` (to `connection_init`, or after a moment) and closes. */
    async open(socket: RealtimeSocket, request: ConnectionRequest): Promise<RealtimeConnection | undefined> {
      const send = (message: ServerMessage) => socket.send(JSON.stringify(message));

      const headers = connectionHeaders(request.subprotocols, request.query, request.headers);
      // Clients sign (IAM) or send (API key, token) these headers for `POST <endpoint>/connect` with body `{}`.
      const connected = headers
        ? await options.engine.connect(asRequest(request, headers, `${request.graphqlPath}/connect`, '{}'))
        : { ok: false as const, message: 'The connection has no authorization header.' };
      if (!connected.ok) {
        // AppSync answers the client's connection_init with connection_error, and real clients
        // (aws-appsync-subscription-link, Amplify) only listen for it then: one sent on open is
        // lost and they retry. A client that sends nothing gets it after REFUSAL_DELAY_MS.
        let refused = false;
        const refuse = () => {
          if (refused) return;
          refused = true;
          clearTimeout(timer);
          send({ type: 'connection_error', payload: { errors: [protocolError(ERROR_TYPE.unauthorized, connected.message, 401)] } });
          socket.close(CLOSE.refused, ERROR_TYPE.unauthorized);
        };
        const timer = setTimeout(refuse, REFUSAL_DELAY_MS);
        return { receive: async () => refuse(), closed: () => clearTimeout(timer) };
      }

      const connectionId = randomUUID();
      const subscriptions = new Map<string, ReturnType<typeof liveOf>>();
      let initialised = false;
      // `connection_init` is optional on AppSync ("(Optional) After a successful WebSocket
      // connection, the client sends a connection_init message",
      // https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html): the
      // connection is authenticated by its handshake, so it is live and kept alive from the start.
      const keepAlive = setInterval(() => send({ type: 'ka' }), settings.keepAliveMs);
      keepAlive.unref();

      const liveOf = (id: string, started: Extract<StartResult, { ok: true }>['subscription']) => ({
        ...started,
        id,
        connectionId,
        // The payload is shared JSON text: only the id differs per subscriber.
        deliver: (payloadJson: string) => {
          if (Buffer.byteLength(payloadJson) > MAX_SUBSCRIPTION_PAYLOAD_BYTES) {
            return send({
              type: 'error',
              id,
              payload: { errors: [protocolError(ERROR_TYPE.limitExceeded, `The subscription message is larger than AppSync's limit of ${MAX_SUBSCRIPTION_PAYLOAD_BYTES / 1024} KB; it was not delivered.`)] },
            });
          }
          socket.send(`{"type":"data","id":${JSON.stringify(id)},"payload":${payloadJson}}`);
        },
        end: () => {
          subscriptions.delete(id);
          send({ type: 'complete', id });
        },
      });

      const startSubscription = async (id: string, data: string, authorization: Record<string, string>) => {
        if (subscriptions.has(id)) {
          return send({ type: 'error', id, payload: { errors: [protocolError(ERROR_TYPE.duplicatedOperation, `Another subscription already uses the id ${id}.`)] } });
        }
        if (subscriptions.size >= settings.maxSubscriptionsPerConnection) {
          return send({
            type: 'error',
            id,
            payload: { errors: [protocolError(ERROR_TYPE.limitExceeded, `A connection may hold at most ${settings.maxSubscriptionsPerConnection} subscriptions.`)] },
          });
        }
        const graphql = parseStartData(data, id);
        // Each start carries its own authorization, signed (IAM) over the `data` string.
        const started = await options.engine.subscribe(asRequest(request, authorization, request.graphqlPath, data), graphql);
        if (!started.ok) return send({ type: 'error', id, payload: { errors: Array.isArray(started.error) ? started.error : [started.error] } });
        if (subscriptions.has(id)) return; // a duplicate that raced this one was refused above
        const live = liveOf(id, started.subscription);
        subscriptions.set(id, live);
        options.hub.add(live);
        send({ type: 'start_ack', id });
      };

      return {
        async receive(text) {
          if (Buffer.byteLength(text) > settings.maxMessageBytes) {
            return send({ type: 'error', payload: { errors: [protocolError(ERROR_TYPE.limitExceeded, `Messages are limited to ${settings.maxMessageBytes} bytes.`)] } });
          }
          try {
            const message = parseClientMessage(text);
            if (message.type === 'connection_init') {
              if (initialised) return;
              initialised = true;
              send({ type: 'connection_ack', payload: { connectionTimeoutMs: settings.connectionTimeoutMs } });
              send({ type: 'ka' });
            } else if (message.type === 'start') {
              await startSubscription(message.id, message.payload.data, message.payload.extensions.authorization);
            } else {
              const live = subscriptions.get(message.id);
              if (live) {
                subscriptions.delete(message.id);
                options.hub.remove(live);
              }
              send({ type: 'complete', id: message.id });
            }
          } catch (error) {
            if (!(error instanceof InvalidMessageError)) throw error;
            send({ type: 'error', id: error.id, payload: { errors: [protocolError(ERROR_TYPE.badRequest, error.message)] } } as ServerMessage);
          }
        },
        closed() {
          clearInterval(keepAlive);
          for (const live of subscriptions.values()) options.hub.remove(live);
          subscriptions.clear();
        },
      };
    },
  };
}

/** The request a client's auth headers stand for: what IAM signed, what the authorizer sees. */
function asRequest(connection: ConnectionRequest, headers: Record<string, string>, path: string, body: string): IncomingRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: 'POST', host: lower.host ?? connection.host, path, headers: lower, body, sourceIp: connection.sourceIp };
}
