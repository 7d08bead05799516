/**
 * Builds the web app, and the local API console, when a build is older than its sources:
 * `npm start` calls both before serving frontend/dist and frontend/console/dist, the CDK app only
 * the web app's before deploying it (the console is never deployed). Vite is loaded only when needed.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** One Vite build: its config, its output, and the sources it depends on (relative to frontend/). */
interface ViteBuild {
  what: string;
  configFile: string;
  outDir: string;
  sources: string[];
}

const WEB_APP: ViteBuild = { what: 'the web app', configFile: 'vite.config.ts', outDir: 'dist', sources: ['index.html', 'vite.config.ts', 'graphql-alias.ts', 'liveness-files.ts', 'src'] };

const API_CONSOLE: ViteBuild = {
  what: 'the API console',
  configFile: 'console/vite.config.ts',
  outDir: 'console/dist',
  // The console borrows one of the web app's real-time helpers, and the project's AppSync request shape.
  sources: ['console/index.html', 'console/vite.config.ts', 'graphql-alias.ts', 'console/src', 'src/data/base64-buffer.ts', '../lib/appsync-request.ts'],
};

/** Builds frontend/ into frontend/dist unless the build is newer than every source; resolves to whether it built. */
export function buildWebAppIfStale(frontendDir: string, log: (line: string) => void): Promise<boolean> {
  return buildIfStale(frontendDir, WEB_APP, log);
}

/** Builds the API console (frontend/console) into frontend/console/dist unless it is newer than its sources. */
export function buildConsoleIfStale(frontendDir: string, log: (line: string) => void): Promise<boolean> {
  return buildIfStale(frontendDir, API_CONSOLE, log);
}

async function buildIfStale(frontendDir: string, build: ViteBuild, log: (line: string) => void): Promise<boolean> {
  const built = await stat(path.join(frontendDir, build.outDir, 'index.html')).then((s) => s.mtimeMs, () => 0);
  const newest = Math.max(...(await Promise.all(build.sources.map((entry) => newestMtime(path.join(frontendDir, entry))))));
  if (built > newest) return false;
  log(built ? `${build.what} changed: building it (Vite)` : `building ${build.what} (Vite, about 10 s the first time)`);
  const vite = await import('vite');
  await vite.build({ configFile: path.join(frontendDir, build.configFile), logLevel: 'warn' });
  return true;
}

async function newestMtime(entry: string): Promise<number> {
  if (!existsSync(entry)) return 0;
  const info = await stat(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  return Math.max(info.mtimeMs, ...(await Promise.all(children.map((child) => newestMtime(path.join(entry, child))))));
}
