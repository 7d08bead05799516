import { defineConfig } from 'vitest/config';

/**
 * End-to-end scenarios in Debian's Chromium against `npm start` (`npm run test:browser`; CI runs
 * them after `npm test`). Each file starts its own SecureTask on a fresh data folder; the web app
 * is built once before (globalSetup). One file at a time: each drives a real browser and server.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/browser/**/*.e2e.ts'],
    globalSetup: ['test/setup/shared-data.ts', 'test/browser/harness/build.ts'],
    setupFiles: ['test/browser/harness/setup-each.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
