import type { AddressInfo, Server } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { createHttpServer, type HttpServerOptions, type Page } from '../appsync/index.ts';
import type { SubscriptionHub } from '../appsync/index.ts';
import { createRealtimeCore, type RealtimeOptions } from '../appsync/index.ts';
import { attachWebSocketAdapter } from '../appsync/index.ts';
import { listOutbox, OutboxError, readOutboxMessage, renderOutboxMessage, renderOutboxPage } from '../aws/index.ts';
import type { RuntimeInfo } from '../data-dir.ts';
import { consoleRoutes, type ConsoleOptions } from '../console.ts';
import { rootPage } from '../first-screen.ts';
import { dualProtocolServer, localCertificate } from '../tls.ts';
import { webAppRoutes } from '../web-app.ts';
import type { WebConfig } from '../../frontend/src/app/web-config.ts';

/** The one port that serves everything, HTTP and HTTPS alike. */
export interface LocalHttp {
  port: number;
  certificateFile: string;
  /** Cuts every real-time connection at once. */
  dropConnections(): number;
  stop(): Promise<void>;
}

/**
 * One port for the API (`POST /graphql`, `wss /graphql/realtime`), the web app (or the API's first
 * screen without it; `curl /` gets it in plain text), the API console at `/local` and the outbox, in plain HTTP and in TLS with the local certificate:
 * what AppSync's endpoints, CloudFront and the SES console are in AWS.
 */
export async function startHttp(options: {
  engine: HttpServerOptions['engine'];
  hub: SubscriptionHub;
  dataDir: string;
  outboxDir: string;
  port: number;
  host: string;
  /** The built web app, or undefined to show the first screen at `/`. */
  webAppDir?: string;
  /** `/config.json` of the web app; read per request, once the port is known. */
  webConfig: () => WebConfig;
  /** What `/local` shows; read per request, once the port is known. */
  info: () => RuntimeInfo;
  /** The API console at `/local` (local/console.ts). */
  console: Omit<ConsoleOptions, 'info'>;
  realtime?: Omit<RealtimeOptions, 'engine' | 'hub'> & { heartbeatMs?: number };
}): Promise<LocalHttp> {
  const webApp = options.webAppDir ? webAppRoutes(options.webAppDir, options.webConfig) : undefined;
  const apiConsole = consoleRoutes({ ...options.console, info: options.info });
  const http: HttpServerOptions = {
    engine: options.engine,
    htmlFallback: webApp?.htmlFallback,
    pages: {
      ...webApp?.pages,
      // A browser gets the web app at `/`; curl and scripts get where things are, in plain text.
      '/': (req) => rootPage(options.info(), req, webApp?.htmlFallback),
      ...apiConsole.pages,
      ...outboxPages(options.outboxDir),
    },
    actions: apiConsole.actions,
  };
  const certificate = await localCertificate(options.dataDir);
  const plain = createHttpServer(http);
  const secure = createHttpServer(http, certificate);
  const { heartbeatMs, ...realtime } = options.realtime ?? {};
  const core = createRealtimeCore({ engine: options.engine, hub: options.hub, ...realtime });
  const endpoints = [plain, secure].map((s) => attachWebSocketAdapter(s, { core, graphqlPath: '/graphql', heartbeatMs }));
  const server = dualProtocolServer(plain, secure);
  const port = await listen(server, options.port, options.host);
  return {
    port,
    certificateFile: certificate.certificateFile,
    dropConnections: () => endpoints.reduce((dropped, endpoint) => dropped + endpoint.dropConnections(), 0),
    async stop() {
      await Promise.all(endpoints.map((endpoint) => endpoint.close()));
      plain.closeAllConnections();
      secure.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The outbox's pages: every email the functions sent through the local SES. */
function outboxPages(outboxDir: string): Record<string, (req: IncomingMessage) => Promise<Page | undefined>> {
  return {
    '/outbox': async () => ({ contentType: 'text/html; charset=utf-8', body: renderOutboxPage(await listOutbox(outboxDir)) }),
    '/outbox/*': async (req) => {
      const file = decodeURIComponent((req.url ?? '').split('?')[0].slice('/outbox/'.length));
      try {
        return { contentType: 'text/html; charset=utf-8', body: renderOutboxMessage(await readOutboxMessage(outboxDir, file)) };
      } catch (error) {
        if (error instanceof OutboxError) return undefined;
        throw error;
      }
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: stop what runs there or start with PORT=<another port>`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
