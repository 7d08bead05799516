import type { IncomingMessage } from 'node:http';
import type { RuntimeInfo } from './data-dir.ts';
import { wantsHtml, type Page } from './appsync/index.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The first call a person can make, for both versions of the page. */
const firstCall = (info: RuntimeInfo) => `curl -s ${info.graphqlUrl} \\
  -H "Authorization: $(npx securetask token --email you@example.com --role ADMIN)" \\
  -H "content-type: application/json" \\
  -d '{"query":"{ me { email role } }"}'`;

/**
 * `/`: the web app for a browser (`webApp` answers with its shell), or the first screen when
 * none is built; what {@link localPage} answers for anyone else.
 */
export async function rootPage(info: RuntimeInfo, req: IncomingMessage, webApp?: () => Promise<Page | undefined>): Promise<Page> {
  return (webApp && wantsHtml(req) && (await webApp())) || localPage(info, req);
}

/**
 * `/` when no web app is served, and `/local` for curl or when the API console is not built
 * (local/console.ts): what is running, where, and the first call to make. A browser gets a page;
 * curl and scripts get the same in plain text, so that `curl http://localhost:4000/` says where
 * things are instead of answering a 404.
 */
export function localPage(info: RuntimeInfo, req: IncomingMessage): Page {
  return wantsHtml(req) ? firstScreen(info) : apiPointer(info);
}

/** The plain-text version: one line per endpoint, then a first call. */
export function apiPointer(info: RuntimeInfo): Page {
  const base = info.graphqlUrl.replace(/\/graphql$/, '');
  const body = `SecureTask (local) is running here.

  Web app     ${base}/  (open it in a browser)
  API console ${base}/local  (GraphiQL, in a browser)
  GraphQL     POST ${info.graphqlUrl}
  Real time   ${info.realtimeUrl}
  API key     ${info.apiKey}  (onboarding calls only)
  Outbox      ${base}/outbox  (every email SecureTask sends)
  Region      ${info.region}

A first call:

${firstCall(info)}

\`npx securetask info --json\` prints these settings for scripts.
`;
  return { contentType: 'text/plain; charset=utf-8', body };
}

/** The HTML version, for a browser. */
export function firstScreen(info: RuntimeInfo): Page {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>SecureTask (local)</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  h1 { margin-bottom: .25rem; } p.lead { margin-top: 0; color: #4a5360; }
  table { border-collapse: collapse; width: 100%; } td { padding: .4rem .6rem; border-bottom: 1px solid #dde2e8; vertical-align: top; }
  td:first-child { font-weight: 600; white-space: nowrap; } code, pre { font: 14px/1.4 ui-monospace, monospace; }
  pre { background: #f3f5f8; padding: 1rem; overflow-x: auto; border-radius: 6px; }
</style></head>
<body>
<h1>SecureTask is running</h1>
<p class="lead">The local AppSync runtime serves the same schema, resolvers and authorizer that deploy to AWS.</p>
<table>
  <tr><td>GraphQL</td><td><code>POST ${escape(info.graphqlUrl)}</code></td></tr>
  <tr><td>Real time</td><td><code>${escape(info.realtimeUrl)}</code></td></tr>
  <tr><td>API key</td><td><code>${escape(info.apiKey)}</code> (onboarding calls only)</td></tr>
  <tr><td>Outbox</td><td><a href="/outbox">/outbox</a>: every email SecureTask sends (invitations, sign-in confirmations)</td></tr>
  <tr><td>Region</td><td><code>${escape(info.region)}</code></td></tr>
  <tr><td>Data folder</td><td><code>${escape(info.dataDir)}</code></td></tr>
</table>
<h2>Make a first call</h2>
<p>People get a session token by verifying their face against their ID (<code>startVerification</code>, see
<code>docs/verification.md</code>); on a fresh install the first person to verify becomes the admin.
For scripts, the CLI mints a token for a local user:</p>
<pre>${escape(firstCall(info))}</pre>
<p><code>npx securetask info --json</code> prints these settings for scripts and third-party clients.</p>
</body></html>`;
  return { contentType: 'text/html; charset=utf-8', body };
}
