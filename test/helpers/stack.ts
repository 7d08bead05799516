import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultConfig, type SecureTaskConfig } from '../../api/config.ts';
import { api as productApi } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import type { Role } from '../../functions/shared/tokens/claims.ts';
import { dataFiles } from '../../local/data-dir.ts';
import { ensureActiveUser } from '../../local/dev-users.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/** A local stack for one test file, on the run's shared DynamoDB Local, with its own tables. */
export interface TestStack extends LocalStack {
  config: SecureTaskConfig;
  /** POSTs a GraphQL request; returns the HTTP status and parsed body. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /**
   * Makes (or finds) an active user and mints them a token, as `securetask token` does: they land
   * on the board `main` (made if missing) with the board role their role gives, unless
   * `board: null` (nobody's board) or another board id.
   */
  tokenFor(email: string, role?: Role, options?: { board?: string | null }): Promise<{ token: string; userId: string }>;
  dynamodb: DynamoDBClient;
  tableName(table: string): string;
  /** Stops the runtime but keeps its data folder and tables, for a restart with `resume`. */
  halt(): Promise<void>;
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
    /** Start again on an earlier stack's data folder and tables (a restart). */
    resume?: { dataDir: string; config: SecureTaskConfig };
  } = {},
): Promise<TestStack> {
  process.env.SECURETASK_LOG_LEVEL ??= 'silent';
  const api = options.api ?? productApi;
  const config: SecureTaskConfig = options.resume?.config ?? { ...defaultConfig, stage: `t${randomUUID().slice(0, 8)}`, ...options.config };
  const dataDir = options.resume?.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'securetask-test-')));
  const endpoint = inject('dynamodbEndpoint');
  const stack = await startLocalStack({ projectRoot, api, config, dataDir, port: 0, dynamodbEndpoint: endpoint, realtime: options.realtime });
  const dynamodb = new DynamoDBClient({ endpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tableName = (table: string) => physicalTableName(api, config.stage, table);

  const halt = async () => {
    await stack.stop();
    dynamodb.destroy();
  };
  return {
    ...stack,
    config,
    dynamodb,
    tableName,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    async tokenFor(email, role, options) {
      const user = await ensureActiveUser(dynamodb, tableName, email, role, options);
      const { active } = await loadLocalKeys(dataFiles(dataDir).keysDir);
      const { token } = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, {
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        lifetimeSeconds: config.tokenLifetimeSeconds,
      });
      return { token, userId: user.id };
    },
    halt,
    async stop() {
      await halt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
