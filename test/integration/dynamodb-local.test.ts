import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaMissingError, startDynamoDBLocal, type DynamoDBLocalHandle } from '../../local/aws/dynamodb/dynamodb-local.ts';
import { createTables } from '../../local/aws/dynamodb/tables.ts';

const fixture = fileURLToPath(new URL('../fixtures/start-dynamodb-local.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !alive(pid);
}

const clientFor = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'securetask-ddb-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startDynamoDBLocal', () => {
  it('keeps data across a stop and a start of the same dataDir', { timeout: 60_000 }, async () => {
    const dataDir = join(dir, 'persist');
    const first = await startDynamoDBLocal({ dataDir });
    expect(await readFile(join(dataDir, 'dynamodb-local.pid'), 'utf8')).toBe(`${first.javaPid}\n`);
    let client = clientFor(first.endpoint);
    await createTables(client, { Things: { partitionKey: { name: 'id', type: 'S' } } }, (n) => n);
    await client.send(new PutItemCommand({ TableName: 'Things', Item: { id: { S: 'kept' }, n: { N: '42' } } }));
    client.destroy();
    await first.stop();
    expect(alive(first.javaPid)).toBe(false);

    const second = await startDynamoDBLocal({ dataDir });
    try {
      client = clientFor(second.endpoint);
      const read = await client.send(new GetItemCommand({ TableName: 'Things', Key: { id: { S: 'kept' } } }));
      expect(read.Item).toEqual({ id: { S: 'kept' }, n: { N: '42' } });
      client.destroy();
    } finally {
      await second.stop();
    }
  });

  it('leaves no Java process behind when the Node process that started it is SIGKILLed', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const javaPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /READY (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${stderr}`)));
    });
    expect(alive(javaPid)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await gone(javaPid)).toBe(true);
  });

  it('kills a stale DynamoDB Local recorded in the dataDir pid file, and only that', { timeout: 60_000 }, async () => {
    const stale = await startDynamoDBLocal({});
    const dataDir = join(dir, 'stale');
    await startDynamoDBLocal({ dataDir }).then((h) => h.stop()); // creates the folder
    await writeFile(join(dataDir, 'dynamodb-local.pid'), `${stale.javaPid}\n`);
    let fresh: DynamoDBLocalHandle | undefined;
    try {
      fresh = await startDynamoDBLocal({ dataDir });
      expect(await gone(stale.javaPid)).toBe(true);
    } finally {
      await fresh?.stop();
      await stale.stop();
    }
    // A recycled pid that is not DynamoDB Local (here: this test process) must survive.
    await writeFile(join(dataDir, 'dynamodb-local.pid'), `${process.pid}\n`);
    const again = await startDynamoDBLocal({ dataDir });
    await again.stop();
    expect(alive(process.pid)).toBe(true);
  });

  it('throws JavaMissingError with a one-line fix when java is not on PATH', async () => {
    const error = await startDynamoDBLocal({ javaCommand: 'securetask-no-such-java' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JavaMissingError);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(/Java 17\+ is required.*apt-get install -y openjdk-17-jre-headless.*brew install openjdk@17/);
  });
});
