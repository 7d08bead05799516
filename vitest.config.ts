import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { underLoad } from './test/helpers/load.ts';

export default defineConfig({
  test: {
    // Limits only catch a hang. A test that verifies someone films and judges a liveness check
    // for each attempt (about 12 s on a quiet machine, several in some tests, and four times that
    // when a full run loads two cores), so they are wide: the load when the run starts says
    // little about the load when the last suites run.
    testTimeout: Math.max(300_000, underLoad(120_000)),
    hookTimeout: Math.max(300_000, underLoad(180_000)),
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
