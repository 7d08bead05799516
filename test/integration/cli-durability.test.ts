import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../helpers/stack.ts';
import { isAlive } from '../../lib/processes.ts';

const cli = path.join(projectRoot, 'bin/securetask.js');
let dataDir: string;
let runtime: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'securetask-cli-'));
});
afterAll(async () => {
  runtime?.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, SECURETASK_DATA_DIR: dataDir, PORT: '0', SECURETASK_LOG_LEVEL: 'silent' });

/** Runs a CLI command to completion. */
function run(args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...env(), ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `securetask start` and waits for it to say it is ready. */
async function start(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [cli, 'start'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  while (!output.includes('SecureTask is ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`securetask start did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}

async function graphql(url: string, token: string, query: string) {
  const response = await fetch(url, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as any;
}


// Whole processes (Java, the runtime, the CLI) start here, several times: give them room on two cores.
describe('securetask CLI and durability', { timeout: 120_000 }, () => {
  it('info says clearly when nothing is running', () => {
    const result = run(['info', '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no local stack is running');
    expect(result.stderr).toContain('npm start');
  });

  it('start prints its progress and the URLs; info --json reports them', async () => {
    const started = await start();
    runtime = started.child;
    expect(started.output()).toMatch(/starting DynamoDB Local[\s\S]*creating tables[\s\S]*SecureTask is ready/);
    const info = run(['info', '--json']);
    expect(info.code).toBe(0);
    const parsed = JSON.parse(info.stdout);
    expect(Object.keys(parsed).sort()).toEqual(['apiKey', 'awsEndpoints', 'certificateFile', 'dataDir', 'graphqlUrl', 'iamCredentialsFile', 'realtimeUrl', 'region']);
    for (const endpoint of Object.values(parsed.awsEndpoints)) expect(endpoint).toMatch(/^https?:\/\/127\.0\.0\.1:\d+/);
    expect(Object.keys(parsed.awsEndpoints)).toEqual(expect.arrayContaining(['s3', 'sesv2', 'rekognition', 'textract', 'sts']));
    // Scripts call the stand-ins with the AWS SDK and the keys in this file.
    expect(Object.keys(JSON.parse(readFileSync(parsed.iamCredentialsFile, 'utf8')))).toEqual(expect.arrayContaining(['accessKeyId', 'secretAccessKey']));
    expect(parsed.certificateFile).toBe(path.join(dataDir, 'tls', 'localhost.crt'));
    expect(parsed.graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(parsed.realtimeUrl).toBe(parsed.graphqlUrl.replace('http', 'ws') + '/realtime');
    expect(parsed.apiKey).toMatch(/^da2-[a-z2-7]{26}$/);
    expect(parsed.dataDir).toBe(dataDir);
    expect(started.output()).toContain(parsed.graphqlUrl);
  });

  it('token refuses bad arguments with a clear message', () => {
    expect(run(['token']).stderr).toContain('--email');
    expect(run(['token', '--email', 'a@b.co', '--role', 'ROOT']).stderr).toContain('ADMIN or MEMBER');
  });

  it('an acknowledged write survives kill -9 of the runtime, and DynamoDB Local dies with it', async () => {
    const { graphqlUrl } = JSON.parse(run(['info', '--json']).stdout);
    const token = run(['token', '--email', 'durable@example.com', '--role', 'ADMIN']).stdout.trim();
    const created = await graphql(graphqlUrl, token, 'mutation { createTask(boardId: "main", input: { title: "survives kill -9" }) { id version } }');
    const id = created.data.createTask.id as string;

    const javaPid = Number((await readFile(path.join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8')).trim());
    expect(isAlive(javaPid)).toBe(true);
    runtime!.kill('SIGKILL');
    await new Promise((r) => runtime!.once('exit', r));
    const deadline = Date.now() + 10_000;
    while (isAlive(javaPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(javaPid)).toBe(false);

    const restarted = await start();
    runtime = restarted.child;
    const { graphqlUrl: again } = JSON.parse(run(['info', '--json']).stdout);
    // The same token still works: keys, users and tasks all live in the data folder.
    const read = await graphql(again, token, `{ task(boardId: "main", id: "${id}") { title version } me { email role } }`);
    expect(read).toEqual({ data: { task: { title: 'survives kill -9', version: 1 }, me: { email: 'durable@example.com', role: 'ADMIN' } } });
  });

  it('Ctrl+C stops everything and removes the runtime file', async () => {
    runtime!.kill('SIGINT');
    const code = await new Promise((r) => runtime!.once('exit', r));
    expect(code).toBe(0);
    expect(existsSync(path.join(dataDir, 'runtime.json'))).toBe(false);
    runtime = undefined;
  });

  it('without Java, start says so in one line with the fix', async () => {
    const emptyPath = await mkdtemp(path.join(tmpdir(), 'no-java-'));
    const result = run(['start'], { PATH: emptyPath });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n').filter((l) => l.includes('Java'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('apt-get install -y openjdk-17-jre-headless');
    await rm(emptyPath, { recursive: true });
  });
});
