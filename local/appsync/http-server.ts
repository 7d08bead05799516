import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Engine } from './engine.ts';
import { requestError } from './errors.ts';

/** AppSync refuses request bodies beyond this size. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What a page route answers. */
export interface Page {
  contentType: string;
  body: string | Uint8Array;
  status?: number;
  /** Extra response headers (cache-control…). */
  headers?: Record<string, string>;
}

export interface HttpServerOptions {
  engine: Engine;
  /**
   * Extra GET routes (the first screen, the outbox...), by exact path, or by prefix for keys
   * ending in `/*` (`/outbox/*` serves `/outbox/<anything>`). A page answering undefined is a 404.
   */
  pages?: Record<string, (req: IncomingMessage) => Page | undefined | Promise<Page | undefined>>;
  /**
   * Extra POST routes by exact path (local tools, such as the console's dev-token minting): the
   * handler gets the body, read within the same size limit as GraphQL's.
   */
  actions?: Record<string, (req: IncomingMessage, body: string) => Page | Promise<Page>>;
  /** What a GET for a web page (Accept: text/html) that no page matches gets: the web app's shell. */
  htmlFallback?: (req: IncomingMessage) => Page | undefined | Promise<Page | undefined>;
}

/**
 * The HTTP(S) adapter: `POST /graphql` into the engine, CORS as AppSync answers browsers, size
 * limits, and JSON errors for anything else. Thin on purpose: the logic is in the engine.
 */
export function createHttpServer(options: HttpServerOptions, tls?: { cert: string; key: string }): Server {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    cors(res);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (path === '/graphql' && (req.method === 'POST' || (req.method === 'GET' && !wantsHtml(req)))) {
      // AppSync takes queries and mutations by POST (JSON body) and by GET (query-string parameters).
      return void (req.method === 'GET' ? Promise.resolve('') : readBody(req))
        .then(async (body) => {
          if (body === undefined) {
            return json(res, 413, requestError('PayloadTooLargeException', `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
          }
          const headers = Object.fromEntries(
            Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
          );
          // AppSync's edge appends the address it saw, as a proxy does; resolvers trust only that last hop.
          const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
          headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
          const response = await options.engine.handle({
            method: req.method!,
            host: req.headers.host ?? '',
            path,
            query: (req.url ?? '').split('?')[1],
            headers,
            body,
            sourceIp,
          });
          for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
          json(res, response.status, response.body);
        })
        .catch((error: unknown) => {
          // The engine never throws; this is a transport failure (client went away mid-body).
          if (!res.headersSent) json(res, 500, requestError('InternalFailure', 'The request could not be read.'));
          process.stderr.write(`http: ${error instanceof Error ? error.message : String(error)}\n`);
        });
    }
    if (path === '/graphql' && req.method !== 'GET') return json(res, 405, requestError('MethodNotAllowed', 'Send GraphQL requests with POST or GET.'));
    const action = req.method === 'POST' ? options.actions?.[path] : undefined;
    if (action) {
      return void readBody(req)
        .then((body) => (body === undefined ? json(res, 413, requestError('PayloadTooLargeException', `The request body is larger than ${MAX_BODY_BYTES} bytes.`)) : Promise.resolve(action(req, body)).then((answer) => send(res, answer))))
        .catch((error: unknown) => {
          process.stderr.write(`http: ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
          if (!res.headersSent) json(res, 500, requestError('InternalFailure', 'The request could not be served.'));
        });
    }
    const page = req.method === 'GET' ? (findPage(options.pages ?? {}, path) ?? (wantsHtml(req) ? options.htmlFallback : undefined)) : undefined;
    if (!page) return json(res, 404, requestError('NotFound', `Nothing is served at ${path}. GraphQL is at POST /graphql.`));
    void Promise.resolve()
      .then(() => page(req))
      .then((answer) => {
        if (!answer) return json(res, 404, requestError('NotFound', `Nothing is served at ${path}.`));
        send(res, answer);
      })
      .catch((error: unknown) => {
        process.stderr.write(`http: page ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
        if (!res.headersSent) json(res, 500, requestError('InternalFailure', 'The page could not be made.'));
      });
  };
  return tls ? createHttpsServer(tls, handler) : createServer(handler);
}

/**
 * Whether a request asks for a web page (a browser's `Accept: text/html`) rather than data: pages
 * such as `/` answer a browser with HTML and curl or a script with plain text.
 */
export function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function findPage(pages: NonNullable<HttpServerOptions['pages']>, path: string) {
  if (pages[path]) return pages[path];
  const prefix = Object.keys(pages).find((key) => key.endsWith('/*') && path.startsWith(key.slice(0, -1)));
  return prefix ? pages[prefix] : undefined;
}

function cors(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', 'authorization, content-type, x-api-key, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  res.setHeader('access-control-max-age', '86400');
  // Browsers show scripts only the response headers CORS exposes; AppSync exposes its request id.
  res.setHeader('access-control-expose-headers', 'x-amzn-RequestId, x-amzn-ErrorType');
}

function send(res: ServerResponse, answer: Page): void {
  res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType, 'x-content-type-options': 'nosniff', ...answer.headers }).end(answer.body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** Reads the body; `undefined` when it is over the limit (the rest is drained, not buffered). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
