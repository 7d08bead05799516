import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultConfig, type SecureTaskConfig } from '../../api/config.ts';
import { api as productApi } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';
import type { Role } from '../../functions/shared/tokens/claims.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { startDynamoDBLocal } from '../aws/index.ts';
import { dataFiles } from '../data-dir.ts';
import { ensureActiveUser } from '../dev-users.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from './index.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** Options of {@link startScratchStack}. */
export interface ScratchStackOptions {
  /** Default: SecureTask's own description. */
  api?: ApiDefinition;
  /** Over the defaults; the stage defaults to a fresh one, so the tables are this stack's own. */
  config?: Partial<SecureTaskConfig>;
  /** A DynamoDB to share (tests); without it an in-memory DynamoDB Local is started and stopped with the stack. */
  dynamodbEndpoint?: string;
  /** Start again on an earlier stack's data folder and tables (a restart). */
  resume?: { dataDir: string; config: SecureTaskConfig };
  realtime?: LocalStackOptions['realtime'];
  /** The address to listen on (default 127.0.0.1; `0.0.0.0`: every address, as `npm start` may). */
  host?: string;
  faultInjection?: boolean;
  serviceLog?: LocalStackOptions['serviceLog'];
  /** Progress lines (DynamoDB Local starting, tables, resolvers). */
  log?: (line: string) => void;
}

/** A stack for a benchmark or a test, with what those need beside it. */
export interface ScratchStack extends LocalStack {
  config: SecureTaskConfig;
  /** A client of the stack's DynamoDB (for seeding and checking), on local credentials. */
  dynamodb: DynamoDBClient;
  tableName(table: string): string;
  /**
   * Makes (or finds) an active user and mints them a token, as `securetask token` does: they land
   * on the board `main` (made if missing) with the board role their role gives, unless
   * `board: null` (nobody's board) or another board id.
   */
  tokenFor(email: string, role?: Role, options?: { board?: string | null }): Promise<{ token: string; userId: string }>;
  /** Stops the stack but keeps its data folder and tables, for a restart with `resume`. */
  halt(): Promise<void>;
  /** Stops everything and deletes the data folder. */
  stop(): Promise<void>;
}

/**
 * Starts SecureTask for a benchmark or a test on a fresh data folder (or an earlier one, to
 * restart), a free port, and its own stage; with its own in-memory DynamoDB Local unless one is
 * given. What four benchmarks and the test helper each did by hand.
 */
export async function startScratchStack(options: ScratchStackOptions = {}): Promise<ScratchStack> {
  const api = options.api ?? productApi;
  const config: SecureTaskConfig = options.resume?.config ?? { ...defaultConfig, stage: `t${randomUUID().slice(0, 8)}`, ...options.config };
  const dataDir = options.resume?.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'securetask-scratch-')));
  const ownDynamodb = options.dynamodbEndpoint ? undefined : await startDynamoDBLocal({});
  const endpoint = options.dynamodbEndpoint ?? ownDynamodb!.endpoint;
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      projectRoot,
      api,
      config,
      dataDir,
      port: 0,
      dynamodbEndpoint: endpoint,
      realtime: options.realtime,
      host: options.host,
      faultInjection: options.faultInjection,
      serviceLog: options.serviceLog,
      log: options.log,
    });
  } catch (error) {
    await ownDynamodb?.stop();
    if (!options.resume) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const dynamodb = new DynamoDBClient({ endpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tableName = (table: string) => physicalTableName(api, config.stage, table);
  const halt = async () => {
    await stack.stop();
    dynamodb.destroy();
    await ownDynamodb?.stop();
  };
  return {
    ...stack,
    config,
    dynamodb,
    tableName,
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
