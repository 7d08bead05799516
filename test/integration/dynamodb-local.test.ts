import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDynamoDBLocalLib, JavaMissingError, startDynamoDBLocal } from '../../local/aws/dynamodb/dynamodb-local.ts';
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

/** DynamoDB Local on `dataDir` with no supervisor: what a dead owner's Java looks like to the next start. */
async function startOrphanJava(dataDir: string) {
  const lib = findDynamoDBLocalLib();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const java = spawn('java', [`-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`, '-jar', 'DynamoDBLocal.jar', '-sharedDb', '-disableTelemetry', '-port', String(port), '-dbPath', dataDir], { cwd: lib, stdio: 'ignore' });
  orphans.push(java);
  const client = clientFor(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline || java.exitCode !== null) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  client.destroy();
  return java;
}
const orphans: ReturnType<typeof spawn>[] = [];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'securetask-ddb-'));
});
afterAll(async () => {
  for (const orphan of orphans) orphan.kill('SIGKILL');
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

  it('stops a DynamoDB Local its dead owner left on the folder', { timeout: 120_000 }, async () => {
    const dataDir = join(dir, 'stale');
    await mkdir(dataDir);
    // Java on this folder whose owner is gone without stopping it: the pid file still names it.
    const orphan = await startOrphanJava(dataDir);
    await writeFile(join(dataDir, 'dynamodb-local.pid'), `${orphan.pid}\n`);
    await (await startDynamoDBLocal({ dataDir })).stop();
    expect(await gone(orphan.pid!)).toBe(true);
  });

  it('refuses a folder a live DynamoDB Local has, naming its owner, and stops no process but a stale one of its own folder', { timeout: 120_000 }, async () => {
    const dataDir = join(dir, 'taken');
    const first = await startDynamoDBLocal({ dataDir });
    try {
      await expect(startDynamoDBLocal({ dataDir })).rejects.toThrow(`in use by pid ${process.pid}, DynamoDB Local on port ${first.port}`);
      // A pid file whose pid the kernel gave to another process since: another folder's DynamoDB
      // Local, or anything else (this test process). Both are left alone.
      const elsewhere = join(dir, 'recycled');
      await mkdir(elsewhere);
      for (const pid of [first.javaPid, process.pid]) {
        await writeFile(join(elsewhere, 'dynamodb-local.pid'), `${pid}\n`);
        await (await startDynamoDBLocal({ dataDir: elsewhere })).stop();
        expect(alive(pid)).toBe(true);
      }
      const client = clientFor(first.endpoint);
      await client.send(new ListTablesCommand({}));
      client.destroy();
    } finally {
      await first.stop();
    }
  });

  it('throws JavaMissingError with a one-line fix when java is not on PATH', async () => {
    const error = await startDynamoDBLocal({ javaCommand: 'securetask-no-such-java' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JavaMissingError);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(/Java 17\+ is required.*apt-get install -y openjdk-17-jre-headless.*brew install openjdk@17/);
  });
});
