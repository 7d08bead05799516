import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE, SUBPROTOCOL } from './protocol.ts';
import type { RealtimeConnection, RealtimeCore } from './server.ts';

export interface WebSocketAdapterOptions {
  core: RealtimeCore;
  graphqlPath: string;
  /** How often the server pings; a connection that missed a whole interval is dropped. */
  heartbeatMs?: number;
}

/** The attached endpoint: close it, or drop every connection (as a network failure would). */
export interface WebSocketEndpoint {
  close(): Promise<void>;
  /** Cuts every open connection without a closing handshake; returns how many were cut. */
  dropConnections(): number;
}

/**
 * Serves AppSync's real-time protocol at `<graphqlPath>/realtime` on an HTTP(S) server with
 * `ws`: picks the `graphql-ws` subprotocol, hands messages to the core one at a time and in
 * order, and drops connections that stop answering pings.
 */
export function attachWebSocketAdapter(server: Server, options: WebSocketAdapterOptions): WebSocketEndpoint {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== `${options.graphqlPath}/realtime`) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws, request, url));
  };

  const serve = (ws: WebSocket, request: IncomingMessage, url: URL) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    // A frame ws cannot accept (over maxPayload, invalid UTF-8, a reserved opcode, unmasked) makes
    // ws close the connection with the matching code (1009, 1007, 1002) and emit 'error'. Without
    // a listener that error is thrown from the socket's data handler and kills the process: one
    // bad client must cost only its own connection.
    ws.on('error', () => undefined);
    // Messages wait for the connection's auth, then run strictly one after another.
    let queue: Promise<unknown> = options.core.open(
      { send: (text) => ws.readyState === ws.OPEN && ws.send(text), close: (code, reason) => ws.close(code, reason) },
      {
        graphqlPath: options.graphqlPath,
        query: url.searchParams,
        subprotocols: (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()),
        host: request.headers.host ?? '',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        headers: request.headers,
      },
    );
    const connection = queue as Promise<RealtimeConnection | undefined>;
    ws.on('message', (data) => {
      const text = data.toString();
      queue = queue.then(async () => (await connection)?.receive(text)).catch((error: unknown) => {
        process.stderr.write(`realtime: ${error instanceof Error ? error.stack : String(error)}\n`);
        ws.close(CLOSE.internalError, 'internal error');
      });
    });
    ws.on('close', () => void connection.then((c) => c?.closed()));
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();
  server.on('upgrade', onUpgrade);

  return {
    async close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    dropConnections() {
      const open = [...wss.clients];
      for (const ws of open) ws.terminate();
      return open.length;
    },
  };
}
