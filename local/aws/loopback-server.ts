import type { Duplex } from 'node:stream';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';

/** A local service's HTTP server: where it listens, and how to stop it (idempotent). */
export interface LoopbackService {
  /** `http://host:port`, for an `AWS_ENDPOINT_URL_*` variable. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Options of {@link serveOnLoopback}. */
export interface LoopbackOptions {
  host?: string;
  port?: number;
  /** Also answer TLS (https://, wss://) on the same port, with this certificate. */
  tls?: { cert: string; key: string };
  /** WebSocket upgrades (any path); without it upgrades are refused. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * Serves `handle` on loopback (or `host`), on `port` or a free one, plain HTTP and, with `tls`,
 * HTTPS on the same port. Stopping closes the open connections too, so a test or a Ctrl+C never
 * waits for a client's keep-alive.
 */
export async function serveOnLoopback(handle: (req: IncomingMessage, res: ServerResponse) => void, options: LoopbackOptions = {}): Promise<LoopbackService> {
  const servers: Server[] = [createServer(handle)];
  if (options.tls) servers.push(createTlsServer(options.tls, handle));
  for (const server of servers) {
    if (options.upgrade) server.on('upgrade', options.upgrade);
  }
  const listener: NetServer | Server = options.tls ? dualProtocolServer(servers[0], servers[1]) : servers[0];
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = listener.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        listener.close(() => resolve());
        for (const server of servers) server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/**
 * One port for both `http://`/`ws://` and `https://`/`wss://`: the first byte of a connection
 * tells a TLS handshake (0x16) from plain HTTP. Amplify's clients and the AWS SDK's WebSocket
 * handler turn any endpoint into `wss://` on the same host and port, so a local endpoint must
 * answer TLS where it answers HTTP.
 */
export function dualProtocolServer(plain: Server, secure: Server): NetServer {
  return createNetServer({ pauseOnConnect: true }, (socket) => {
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.resume();
  });
}
