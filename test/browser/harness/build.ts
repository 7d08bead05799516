/** Global setup of the browser tests: Chromium must exist, and the web app and the API console are built from the current sources. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildConsoleIfStale, buildWebAppIfStale } from '../../../frontend/build.ts';
import { projectRoot } from './app.ts';
import { CHROMIUM } from './browser.ts';

export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  // SECURETASK_WEB_DIR: test an app built elsewhere, as `npm start` serves it.
  if (process.env.SECURETASK_WEB_DIR) return;
  const log = (line: string) => console.log(`browser tests: ${line}`);
  await buildWebAppIfStale(path.join(projectRoot, 'frontend'), log);
  await buildConsoleIfStale(path.join(projectRoot, 'frontend'), log);
}
