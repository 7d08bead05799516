/**
 * The runtime in the test's own process (`startLocalStack`), for faults that do not need a
 * process kill: it can use a dedicated DynamoDB Local, turn on the fan-out's fault injection,
 * and hands every structured service line (stream pollers, SNS) to the test to read.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { defaultConfig, type SecureTaskConfig } from '../../../api/config.ts';
import { api } from '../../../api/definition.ts';
import { physicalTableName } from '../../../api/naming.ts';
import { loadLocalKeys } from '../../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../../functions/shared/tokens/sign.ts';
import { dataFiles } from '../../../local/data-dir.ts';
import { ensureActiveUser } from '../../../local/dev-users.ts';
import { startLocalStack, type LocalStack } from '../../../local/stack.ts';
import { projectRoot } from '../../helpers/stack.ts';

/** A running in-process runtime and what fault tests read from it. */
export interface FaultStack {
  stack: LocalStack;
  config: SecureTaskConfig;
  /** Every structured line the local services wrote, info included. */
  serviceLines: string[];
  /** Parsed service lines whose `msg` contains `text`. */
  logged(text: string): Record<string, unknown>[];
  tokenFor(email: string, role: 'ADMIN' | 'MEMBER'): Promise<string>;
  /** Stops the runtime and removes its data folder. */
  stop(): Promise<void>;
}

/** Starts the product API on a free port, on `dynamodbEndpoint` (default: the run's shared DynamoDB Local) with its own tables. */
export async function startFaultStack(options: { dynamodbEndpoint?: string; faultInjection?: boolean; config?: Partial<SecureTaskConfig> } = {}): Promise<FaultStack> {
  process.env.SECURETASK_LOG_LEVEL ??= 'silent'; // the functions' own INFO lines; service lines come to us
  const config: SecureTaskConfig = { ...defaultConfig, stage: `f${randomUUID().slice(0, 8)}`, ...options.config };
  const dataDir = await mkdtemp(path.join(tmpdir(), 'securetask-faults-'));
  const endpoint = options.dynamodbEndpoint ?? inject('dynamodbEndpoint');
  const serviceLines: string[] = [];
  const stack = await startLocalStack({
    projectRoot,
    api,
    config,
    dataDir,
    port: 0,
    dynamodbEndpoint: endpoint,
    faultInjection: options.faultInjection,
    serviceLog: (line) => serviceLines.push(line),
  });
  const dynamodb = new DynamoDBClient({ endpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    stack,
    config,
    serviceLines,
    logged: (text) =>
      serviceLines.flatMap((line) => {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          return String(parsed.msg ?? '').includes(text) ? [parsed] : [];
        } catch {
          return [];
        }
      }),
    async tokenFor(email, role) {
      const user = await ensureActiveUser(dynamodb, (table) => physicalTableName(api, config.stage, table), email, role);
      const { active } = await loadLocalKeys(dataFiles(dataDir).keysDir);
      const { token } = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, {
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        lifetimeSeconds: config.tokenLifetimeSeconds,
      });
      return token;
    },
    async stop() {
      await stack.stop();
      dynamodb.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
