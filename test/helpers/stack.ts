import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { SecureTaskConfig } from '../../api/config.ts';
import type { ApiDefinition } from '../../api/types.ts';
import type { LocalStackOptions } from '../../local/stack/index.ts';
import { startScratchStack, type ScratchStack } from '../../local/stack/scratch.ts';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** A local stack for one test file, on the run's shared DynamoDB Local, with its own tables. */
export interface TestStack extends ScratchStack {
  /** POSTs a GraphQL request; returns the HTTP status and parsed body. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** A client of the stack's S3, signed as the local IAM user (allowed everything), for seeding and checking. */
  s3: S3Client;
}

/**
 * Starts the product API (or a fixture API) on a free port. Each call gets a unique stage, so
 * its tables are its own, and a fresh data folder (keys, API key, IAM credentials).
 */
export async function startTestStack(
  options: {
    api?: ApiDefinition;
    config?: Partial<SecureTaskConfig>;
    realtime?: LocalStackOptions['realtime'];
    /** The address to listen on (default 127.0.0.1). */
    host?: string;
    /** Start again on an earlier stack's data folder and tables (a restart). */
    resume?: { dataDir: string; config: SecureTaskConfig };
  } = {},
): Promise<TestStack> {
  process.env.SECURETASK_LOG_LEVEL ??= 'silent';
  const stack = await startScratchStack({ ...options, dynamodbEndpoint: inject('dynamodbEndpoint') });
  const { accessKeyId, secretAccessKey } = JSON.parse(await readFile(path.join(stack.dataDir, 'iam-credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
  const s3 = new S3Client({ region: stack.config.region, endpoint: stack.awsEndpoints.s3, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  return {
    ...stack,
    s3,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}
