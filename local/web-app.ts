/**
 * The web app on the local runtime: the built files of frontend/dist, `/config.json` with this
 * runtime's settings, and the app's shell for any page path (the app routes itself). `npm start`
 * builds the app first when its sources changed since the last build.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { Page } from './appsync/http-server.ts';

/** What the web app reads from `/config.json` (frontend/src/app/config.ts). */
export interface WebAppConfig {
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
  region: string;
  stage: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The routes that serve the web app from `distDir`. */
export function webAppRoutes(distDir: string, config: () => WebAppConfig) {
  const assetsDir = path.join(distDir, 'assets');
  const shell = async (): Promise<Page | undefined> => {
    const body = await readFile(path.join(distDir, 'index.html')).catch(() => undefined);
    return body && { contentType: 'text/html; charset=utf-8', body, headers: { 'cache-control': 'no-cache' } };
  };
  return {
    pages: {
      '/config.json': () => ({ contentType: 'application/json; charset=utf-8', body: JSON.stringify(config()), headers: { 'cache-control': 'no-store' } }),
      '/assets/*': async (req: IncomingMessage): Promise<Page | undefined> => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0].slice('/assets/'.length));
        // Built assets are flat, hashed names: anything with a separator or dot-dot is not one.
        if (!name || name.includes('/') || name.includes('\\') || name.startsWith('.')) return undefined;
        const body = await readFile(path.join(assetsDir, name)).catch(() => undefined);
        if (!body) return undefined;
        return {
          contentType: TYPES[path.extname(name)] ?? 'application/octet-stream',
          body,
          headers: { 'cache-control': 'public, max-age=31536000, immutable' },
        };
      },
    },
    htmlFallback: shell,
  };
}

/** The web app's sources: what a build depends on. */
const SOURCES = ['index.html', 'vite.config.ts', 'src'];

/**
 * Builds frontend/ into frontend/dist unless the build is newer than every source; resolves to
 * whether it built. Vite is loaded only when needed.
 */
export async function buildWebAppIfStale(frontendDir: string, log: (line: string) => void): Promise<boolean> {
  const built = await stat(path.join(frontendDir, 'dist', 'index.html')).then((s) => s.mtimeMs, () => 0);
  const newest = Math.max(...(await Promise.all(SOURCES.map((entry) => newestMtime(path.join(frontendDir, entry))))));
  if (built > newest) return false;
  log(built ? 'the web app changed: building it (Vite)' : 'building the web app (Vite, about 10 s the first time)');
  const { build } = await import('vite');
  await build({ configFile: path.join(frontendDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

async function newestMtime(entry: string): Promise<number> {
  if (!existsSync(entry)) return 0;
  const info = await stat(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  return Math.max(info.mtimeMs, ...(await Promise.all(children.map((child) => newestMtime(path.join(entry, child))))));
}
