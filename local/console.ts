/**
 * The API console at `/local`: GraphiQL for the local endpoint (frontend/console, built into
 * frontend/console/dist), its settings, the schema, and dev tokens. Local only: nothing here is in
 * the CDK app. `/local` answers curl in plain text and falls back to the settings page when the
 * console is not built.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { introspectionFromSchema, type GraphQLSchema } from 'graphql';
import type { Page } from './appsync/http-server.ts';
import { wantsHtml } from './appsync/http-server.ts';
import type { RuntimeInfo } from './data-dir.ts';
import { DevTokenInputError, devTokenInput } from './dev-tokens.ts';
import { localPage } from './first-screen.ts';
import { builtAssets } from './web-app.ts';
import { CONSOLE_PATHS, type ConsoleSettings } from '../frontend/console/src/console-settings.ts';
import type { Role } from '../functions/shared/tokens/claims.ts';

export interface ConsoleOptions {
  /** The built console (frontend/console/dist); `/local` shows the settings page without it. */
  distDir?: string;
  info: () => RuntimeInfo;
  /** The schema the engine serves. */
  schema: GraphQLSchema;
  iamCredentials: ConsoleSettings['iamCredentials'];
  mintDevToken(email: string, role: Role | undefined): Promise<string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const answer = (status: number, body: unknown): Page => ({ status, contentType: JSON_TYPE, body: JSON.stringify(body), headers: { 'cache-control': 'no-store' } });

/** The console's GET pages and its one POST action. */
export function consoleRoutes(options: ConsoleOptions) {
  // Built once: the schema does not change while the runtime runs.
  let schemaJson: string | undefined;
  const settings = (): ConsoleSettings => {
    const { graphqlUrl, realtimeUrl, region, apiKey } = options.info();
    return { graphqlUrl, realtimeUrl, region, apiKey, iamCredentials: options.iamCredentials };
  };
  return {
    pages: {
      [CONSOLE_PATHS.page]: async (req: IncomingMessage): Promise<Page> => {
        const shell = wantsHtml(req) && options.distDir ? await readFile(path.join(options.distDir, 'index.html')).catch(() => undefined) : undefined;
        return shell ? { contentType: 'text/html; charset=utf-8', body: shell, headers: { 'cache-control': 'no-cache' } } : localPage(options.info(), req);
      },
      [`${CONSOLE_PATHS.page}/assets/*`]: options.distDir ? builtAssets(path.join(options.distDir, 'assets'), `${CONSOLE_PATHS.page}/assets/`) : () => undefined,
      [CONSOLE_PATHS.schema]: (): Page => ({ contentType: JSON_TYPE, body: (schemaJson ??= JSON.stringify({ data: introspectionFromSchema(options.schema) })) }),
      [CONSOLE_PATHS.settings]: (req: IncomingMessage): Page => refusal(req) ?? answer(200, settings()),
    },
    actions: {
      [CONSOLE_PATHS.devToken]: async (req: IncomingMessage, body: string): Promise<Page> => {
        const refused = refusal(req);
        if (refused) return refused;
        try {
          const request = JSON.parse(body) as { email?: unknown; role?: unknown };
          const { email, role } = devTokenInput(request?.email, request?.role);
          return answer(200, { token: await options.mintDevToken(email, role) });
        } catch (error) {
          if (error instanceof DevTokenInputError || error instanceof SyntaxError) return answer(400, { message: `Send { "email": "<address>", "role": "ADMIN" | "MEMBER" }: ${error.message}` });
          throw error;
        }
      },
    },
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const LOOPBACK_ADDRESS = /^(?:::ffff:)?127\.|^::1$/;

/**
 * The console's settings hold the local IAM user's secret and its action mints tokens: they answer
 * only the console itself. Refused (403): a request from another machine (the runtime may listen on
 * every address, and a `Host` header is whatever the sender writes), a request whose `Host` is not
 * this machine's loopback name (another site's name pointed at 127.0.0.1: DNS rebinding), or whose
 * `Origin` is another site (a page elsewhere calling the local port; the runtime's CORS allows any
 * origin for the API).
 */
export function refusal(req: IncomingMessage): Page | undefined {
  const from = req.socket?.remoteAddress ?? '';
  if (!LOOPBACK_ADDRESS.test(from)) return answer(403, { message: `The console answers only this machine, not ${from || 'an unknown address'}.` });
  const host = req.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '');
  if (!LOOPBACK.has(hostname)) return answer(403, { message: `The console answers only at localhost, 127.0.0.1 or [::1], not at ${host || 'no host'}.` });
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
    return answer(403, { message: `The console answers only its own page, not ${origin}.` });
  }
  return undefined;
}
