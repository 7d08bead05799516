/**
 * Builds the web app when its build is older than its sources: `npm start` calls it before
 * serving frontend/dist, the CDK app before deploying it. Vite is loaded only when needed.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** The web app's sources: what a build depends on. */
const SOURCES = ['index.html', 'vite.config.ts', 'liveness-files.ts', 'src'];

/** Builds frontend/ into frontend/dist unless the build is newer than every source; resolves to whether it built. */
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
