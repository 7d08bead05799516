/**
 * The web app on the local runtime: the built files of frontend/dist, `/config.json` with this
 * runtime's settings, and the app's shell for any page path (the app routes itself). `npm start`
 * builds the app first when its sources changed since the last build (frontend/build.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Page } from './appsync/http-server.ts';
import type { WebConfig } from '../frontend/src/app/web-config.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Built assets are flat, hashed names, and the liveness check's files one folder down
 * (`liveness/<versioned folder>/<file>`, frontend/liveness-files.ts): plain names only, no
 * dot-dot, no backslash, nothing hidden.
 */
function isAssetName(name: string): boolean {
  const parts = name.split('/');
  if (parts.length !== 1 && !(parts.length === 3 && parts[0] === 'liveness')) return false;
  return parts.every((part) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(part) && !part.includes('..'));
}

/** The routes that serve the web app from `distDir`. */
export function webAppRoutes(distDir: string, config: () => WebConfig) {
  const shell = async (): Promise<Page | undefined> => {
    const body = await readFile(path.join(distDir, 'index.html')).catch(() => undefined);
    return body && { contentType: 'text/html; charset=utf-8', body, headers: { 'cache-control': 'no-cache' } };
  };
  return {
    pages: {
      '/config.json': () => ({ contentType: 'application/json; charset=utf-8', body: JSON.stringify(config()), headers: { 'cache-control': 'no-store' } }),
      '/assets/*': builtAssets(path.join(distDir, 'assets'), '/assets/'),
    },
    htmlFallback: shell,
  };
}

/**
 * A Vite build's hashed assets under `urlPrefix` (`/assets/`, the console's `/local/assets/`),
 * cached for good since their names change with their content.
 */
export function builtAssets(assetsDir: string, urlPrefix: string) {
  return async (req: IncomingMessage): Promise<Page | undefined> => {
    const name = decodeURIComponent((req.url ?? '').split('?')[0].slice(urlPrefix.length));
    if (!isAssetName(name)) return undefined;
    const body = await readFile(path.join(assetsDir, name)).catch(() => undefined);
    if (!body) return undefined;
    return {
      contentType: TYPES[path.extname(name)] ?? 'application/octet-stream',
      body,
      headers: { 'cache-control': 'public, max-age=31536000, immutable' },
    };
  };
}
