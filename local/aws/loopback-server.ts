import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local service's HTTP server: where it listens, and how to stop it (idempotent). */
export interface LoopbackService {
  /** `http://host:port`, for an `AWS_ENDPOINT_URL_*` variable. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Serves `handle` on loopback (or `host`), on `port` or a free one. Stopping closes the open
 * connections too, so a test or a Ctrl+C never waits for a client's keep-alive.
 */
export async function serveOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  options: { host?: string; port?: number } = {},
): Promise<LoopbackService> {
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
