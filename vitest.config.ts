import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local (in memory) serves every suite; each suite makes its own tables.
    globalSetup: ['test/setup/dynamodb-local.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: suites that start servers or Java must not starve each other.
    maxWorkers: 2,
  },
});
