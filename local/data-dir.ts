import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newApiKey, type ApiKey } from './appsync/auth/api-keys.ts';
import type { LocalCredentials } from './appsync/auth/iam.ts';

/** Where local state lives: `.securetask/` in the project, or `SECURETASK_DATA_DIR`. */
export function resolveDataDir(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(projectRoot, env.SECURETASK_DATA_DIR || '.securetask');
}

/** What `securetask info --json` reports about a running local stack. */
export interface RuntimeInfo {
  graphqlUrl: string;
  realtimeUrl: string;
  /** The local TLS certificate: the same URLs work as https:// and wss:// once it is trusted. */
  certificateFile: string;
  apiKey: string;
  region: string;
  dataDir: string;
  dynamodbEndpoint: string;
  /** Every local AWS endpoint, by the service's `AWS_ENDPOINT_URL_<SERVICE>` name (lower case): s3, sesv2, rekognition (also wss:// for streaming), textract, sts, dynamodb. */
  awsEndpoints: Record<string, string>;
  /** The local IAM user's keys (JSON: accessKeyId, secretAccessKey), which every local endpoint accepts. */
  iamCredentialsFile: string;
  pid: number;
}

/** The files of a data folder, each read or made on first use. */
export function dataFiles(dataDir: string) {
  const file = (name: string) => path.join(dataDir, name);
  const readJson = async <T>(name: string): Promise<T | undefined> =>
    readFile(file(name), 'utf8').then((text) => JSON.parse(text) as T, () => undefined);
  const writePrivate = async (name: string, content: string | Buffer) => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(file(name), content, { mode: 0o600 });
  };

  return {
    dynamodbDir: file('dynamodb'),
    iamCredentialsFile: file('iam-credentials.json'),
    keysDir: file('keys'),
    /** Events whose deliveries failed every retry (Lambda's on-failure records, DLQ messages), a JSONL file per function or subscription. */
    deadLettersDir: file('dead-letters'),

    /** The API keys, with a fresh one added when none is still valid. */
    async apiKeys(expiresInDays: number): Promise<ApiKey[]> {
      const keys = (await readJson<ApiKey[]>('api-keys.json')) ?? [];
      if (!keys.some((k) => k.expires * 1000 > Date.now() + 86_400_000)) {
        keys.push(newApiKey(expiresInDays, Date.now(), 'local key made by securetask start'));
        await writePrivate('api-keys.json', JSON.stringify(keys, null, 2));
      }
      return keys;
    },

    /** The IAM credentials the local stack accepts (and its own publisher signs with). */
    async iamCredentials(accountId: string): Promise<LocalCredentials> {
      const existing = await readJson<LocalCredentials>('iam-credentials.json');
      if (existing) return existing;
      const credentials: LocalCredentials = {
        accessKeyId: 'AKIA' + randomBytes(8).toString('hex').toUpperCase(),
        secretAccessKey: randomBytes(30).toString('base64'),
        accountId,
        userArn: `arn:aws:iam::${accountId}:user/securetask-local`,
        username: 'securetask-local',
      };
      await writePrivate('iam-credentials.json', JSON.stringify(credentials, null, 2));
      return credentials;
    },

    /** The secret behind opaque nextTokens; persisted so tokens survive a restart. */
    async nextTokenSecret(): Promise<Buffer> {
      const existing = await readFile(file('next-token.key')).catch(() => undefined);
      if (existing && existing.length >= 32) return existing;
      const secret = randomBytes(32);
      await writePrivate('next-token.key', secret);
      return secret;
    },

    runtimeInfo: () => readJson<RuntimeInfo>('runtime.json'),
    writeRuntimeInfo: (info: RuntimeInfo) => writePrivate('runtime.json', JSON.stringify(info, null, 2)),
    removeRuntimeInfo: () => rm(file('runtime.json'), { force: true }),
  };
}
