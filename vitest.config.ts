import react from '@vitejs/plugin-react';
import { availableParallelism, loadavg } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * How much slower than a quiet machine this one is now, about: the run queue per core (1 when
 * quiet, at most 8). The tests' own waits follow readiness; these limits only catch a hang, so
 * they grow with the load instead of failing a suite that is slow but progressing.
 */
const busy = Math.min(8, Math.max(1, loadavg()[0] / availableParallelism()));

export default defineConfig({
  test: {
    testTimeout: Math.round(30_000 * busy),
    hookTimeout: Math.round(60_000 * busy),
    // Two cores: suites that start servers or Java must not starve each other.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'api',
          include: ['test/**/*.test.ts'],
          // One DynamoDB Local (in memory) serves every suite; each suite makes its own tables.
          globalSetup: ['test/setup/shared-data.ts', 'test/setup/dynamodb-local.ts'],
        },
      },
      {
        // The web app's components in jsdom, with Testing Library.
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['frontend/test/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['frontend/test/setup.ts'],
        },
      },
    ],
  },
});
