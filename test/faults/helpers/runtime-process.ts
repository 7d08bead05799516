/**
 * `securetask start` as a real child process, for faults that need a real process: kill -9 and
 * a restart on the same data folder. Each runtime starts its own DynamoDB Local on disk in
 * `<dataDir>/dynamodb` (not the test run's shared in-memory one), as `npm start` does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configFromEnv } from '../../../api/config.ts';
import { api } from '../../../api/definition.ts';
import { physicalTableName } from '../../../api/naming.ts';
import { loadLocalKeys } from '../../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../../functions/shared/tokens/sign.ts';
import type { RuntimeInfo } from '../../../local/data-dir.ts';
import { ensureActiveUser } from '../../../local/dev-users.ts';
import { projectRoot } from '../../helpers/stack.ts';
import { until } from './wait.ts';

const cli = path.join(projectRoot, 'bin/securetask.js');

/** A running `securetask start`. */
export interface RuntimeProcess {
  child: ChildProcess;
  info: RuntimeInfo;
  /** Everything it printed (stdout and stderr), in order. */
  output(): string;
  /** Its lines from `from` (a character offset into `output()`) on. */
  linesSince(from: number): string[];
  /** SIGKILL, then waits until the process and its DynamoDB Local (Java) are both gone. */
  kill(): Promise<void>;
  /** Ctrl+C; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Settings every runtime of one test gets: the data folder and a fixed port, so clients find it again after a restart. */
export interface RuntimeSettings {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
}

/** Starts `securetask start` and resolves once it printed that it is ready. */
export async function startRuntime(settings: RuntimeSettings): Promise<RuntimeProcess> {
  // An empty web folder: the runtime serves it as it is instead of building the web app.
  const webDir = path.join(settings.dataDir, 'no-web-app');
  await mkdir(webDir, { recursive: true });
  const child = spawn(process.execPath, [cli, 'start'], {
    env: { ...process.env, SECURETASK_DATA_DIR: settings.dataDir, PORT: String(settings.port), SECURETASK_WEB_DIR: webDir, SECURETASK_LOG_LEVEL: '', ...settings.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await until('securetask start to say it is ready', () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`securetask start exited (${child.exitCode ?? child.signalCode}):\n${output}`);
      return output.includes('SecureTask is ready');
    }, 120_000, 100);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const info = JSON.parse(await readFile(path.join(settings.dataDir, 'runtime.json'), 'utf8')) as RuntimeInfo;
  const javaPid = Number((await readFile(path.join(settings.dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8')).trim());
  return {
    child,
    info,
    output: () => output,
    linesSince: (from) => output.slice(from).split('\n'),
    async kill() {
      child.kill('SIGKILL');
      await exited;
      // The CLI's DynamoDB Local dies with it (see startDynamoDBLocal); wait so the next start gets its files.
      await until(`DynamoDB Local (pid ${javaPid}) to exit after its runtime was killed`, () => !isAlive(javaPid), 15_000);
    },
    async stop() {
      child.kill('SIGINT');
      await exited;
      return child.exitCode;
    },
  };
}

/** A free TCP port on loopback, to pin a runtime to across restarts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Makes (or finds) an active user in a running runtime and mints their token, as `securetask token` does (without a second process). */
export async function tokenFor(runtime: RuntimeProcess, email: string, role: 'ADMIN' | 'MEMBER'): Promise<string> {
  const config = configFromEnv();
  const client = new DynamoDBClient({ endpoint: runtime.info.dynamodbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const user = await ensureActiveUser(client, (table) => physicalTableName(api, config.stage, table), email, role);
    const { active } = await loadLocalKeys(path.join(runtime.info.dataDir, 'keys'));
    const minted = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, {
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
      lifetimeSeconds: config.tokenLifetimeSeconds,
    });
    return minted.token;
  } finally {
    client.destroy();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
