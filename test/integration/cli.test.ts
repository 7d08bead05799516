/**
 * The `securetask` command as a newcomer meets it, in real processes on a temporary data folder:
 * `--help` everywhere and nothing else, strict arguments, one start per data folder, and the
 * README's samples, compared with what the commands really print.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../lib/processes.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(projectRoot, 'bin/securetask.js');
const readme = () => readFile(path.join(projectRoot, 'README.md'), 'utf8');

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'securetask-cli-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Runs each in turn, a few at a time: one CLI process per core is what two cores take well. */
async function inParallel<T, R>(items: T[], run: (item: T) => Promise<R>, width = 3): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Runs `securetask <args>` to the end in the project folder, as `npx securetask` would. */
function securetask(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The code block under `<!-- sample: <name> ... -->` in the README. */
function sample(text: string, name: string): string {
  const marker = text.indexOf(`<!-- sample: ${name} `);
  expect(marker, `README.md has no sample "${name}"`).toBeGreaterThanOrEqual(0);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(text.slice(marker));
  return block![1];
}

describe('every command answers --help, and does nothing else', { timeout: 180_000 }, () => {
  const helps = [
    [], ['--help'], ['-h'], ['help'], ['help', 'token'], ['start', '--help'], ['start', '-h'], ['start', '--help', '--bogus'],
    ['info', '--help'], ['token', '--help'], ['token', '-h', '--email', 'a@b.co'], ['keys', '--help'], ['keys', 'rotate', '--help'],
    ['keys', 'rotate', '-h'], ['faces', '--help'], ['faces', 'compare', '--help'], ['faces', 'calibrate', '-h'],
  ];

  it('prints the usage on stdout with exit code 0, and starts, writes or rotates nothing', async () => {
    const dataDir = path.join(scratch, 'help');
    const env = { SECURETASK_DATA_DIR: dataDir, PORT: '0' };
    const results = await inParallel(helps, (args) => securetask(args, env));
    for (const [i, args] of helps.entries()) {
      const result = results[i];
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(result.stdout, `securetask ${args.join(' ')}`).toMatch(/^Usage: securetask /);
    }
    // No stack started (it would have made the data folder), no key was made.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('`keys rotate --help` leaves the signing keys as they are', async () => {
    const env = { SECURETASK_DATA_DIR: path.join(scratch, 'keys') };
    const keysDir = path.join(scratch, 'keys', 'keys');
    expect((await securetask(['keys', 'rotate'], env)).code).toBe(0);
    const before = { files: await readdir(keysDir), active: await readFile(path.join(keysDir, 'active-kid'), 'utf8') };
    expect(before.files.filter((f) => f.endsWith('.jwk.json'))).toHaveLength(1);
    expect((await securetask(['keys', 'rotate', '--help'], env)).code).toBe(0);
    expect((await securetask(['keys', 'rotate', '-h'], env)).code).toBe(0);
    expect({ files: await readdir(keysDir), active: await readFile(path.join(keysDir, 'active-kid'), 'utf8') }).toEqual(before);
  });

  it('refuses unknown options, missing values and stray arguments with the usage and exit code 2', async () => {
    const env = { SECURETASK_DATA_DIR: path.join(scratch, 'wrong'), PORT: '0' };
    const wrong = [
      ['start', '--port', '5000'], ['info', '--jsn'], ['token', '--email'], ['token', '--role', 'ROOT', '--email', 'a@b.co'],
      ['keys'], ['keys', 'rotate', 'now'], ['faces', 'compare', 'only-one.jpg'], ['faces', 'recognise'], ['stop'],
    ];
    const results = await inParallel(wrong, (args) => securetask(args, env));
    for (const [i, args] of wrong.entries()) {
      const result = results[i];
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr, `securetask ${args.join(' ')}`).toMatch(/Usage: securetask /);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(path.join(scratch, 'wrong'))).toBe(false);
  });

  it('is the --help the README shows', async () => {
    expect((await securetask(['--help'])).stdout.trimEnd()).toBe(sample(await readme(), 'securetask --help'));
  });
});

/** Every `securetask start` this file ran: none outlives it, whatever failed. */
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `securetask start`, running; resolves once its first screen is out. */
async function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [cli, 'start'], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Readiness, not a fixed wait: on a busy machine the start takes what it takes (the test's timeout bounds it).
  while (!output.includes('loading the face matcher')) {
    if (child.exitCode !== null) throw new Error(`securetask start exited (${child.exitCode}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, exited };
}

/** What differs from run to run, made the same on both sides of a comparison. */
function stable(text: string, dataDir: string): string[] {
  return text
    .replaceAll(dataDir, '.securetask')
    .replace(/Node v\d+\.\d+\.\d+/g, 'Node v22.x')
    .replace(/\d+\.\d s\b/g, 'N s')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/da2-[a-z2-7]{26}/g, 'da2-...')
    .split('\n')
    .map((line) => line.trimEnd());
}

describe('a running stack', { timeout: 300_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  let first: Awaited<ReturnType<typeof start>> | undefined;
  let runtime: { pid: number; graphqlUrl: string; apiKey: string };

  beforeAll(async () => {
    dataDir = path.join(scratch, 'stack');
    // A web app folder of its own: the README's sample is a fresh clone's, whose only extra line
    // (building the web app) is left out of the comparison below.
    const webDir = await mkdtemp(path.join(scratch, 'web-'));
    env = { SECURETASK_DATA_DIR: dataDir, PORT: '0', SECURETASK_WEB_DIR: webDir, SECURETASK_LOG_LEVEL: 'silent' };
    first = await start(env);
    runtime = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8'));
  }, 300_000);

  it('prints the first screen the README shows', async () => {
    const expected = stable(sample(await readme(), 'npm start'), dataDir).filter(
      // Only when the web app's sources are newer than its build, and once the models are loaded.
      (line) => !line.includes('building the web app') && !line.includes('face matcher ready'),
    );
    const screen = first!.output();
    expect(stable(screen.slice(0, screen.indexOf('\n', screen.indexOf('loading the face matcher'))), dataDir)).toEqual(expected);
  });

  it('`info` prints what the README shows', async () => {
    const result = await securetask(['info'], env);
    expect(result.code).toBe(0);
    expect(stable(result.stdout.trimEnd(), dataDir)).toEqual(stable(sample(await readme(), 'securetask info'), dataDir));
  });

  it('answers a conflicting update with the error the README shows', async () => {
    const token = (await securetask(['token', '--email', 'ada@example.com', '--role', 'ADMIN'], env)).stdout.trim();
    const call = async (body: string) =>
      (await fetch(runtime.graphqlUrl, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body })).json() as Promise<any>;
    const created = await call(JSON.stringify({ query: 'mutation { createTask(boardId: "main", input: { title: "Ship it" }) { id version } }' }));
    const id = created.data.createTask.id as string;
    // The README's own request body, twice: the second finds the task at version 2.
    const text = await readme();
    const body = /-d '([\s\S]*?)'$/.exec(sample(text, 'updateTask'))![1].replace('<task id>', id);
    expect((await call(body)).data).toEqual({ updateTask: { version: 2 } });
    const answer = await call(body);
    const documented = JSON.parse(sample(text, "updateTask's error"), (_key, value: unknown) => (value === '...' ? expect.anything() : value));
    expect(answer).toMatchObject(documented);
    expect(Object.keys(answer.errors[0]).sort()).toEqual(Object.keys(documented.errors[0]).sort());
  });

  it('answers `curl /` with where things are, in plain text, and a browser with the web app', async () => {
    const root = runtime.graphqlUrl.replace(/graphql$/, '');
    const plain = await fetch(root);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await plain.text();
    expect(text).toContain(`POST ${runtime.graphqlUrl}`);
    expect(text).toContain(`${root}outbox`);
    // The test's web app folder is empty: with no web app built, a browser gets the first screen.
    const browser = await fetch(root, { headers: { accept: 'text/html' } });
    expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await browser.text()).toContain('<h1>SecureTask is running</h1>');
  });

  it('refuses a second start on the same data folder in one line naming the first, which keeps serving', async () => {
    const javaPid = Number(await readFile(path.join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
    const second = await securetask(['start'], env);
    expect(second.code).toBe(1);
    const port = new URL(runtime.graphqlUrl).port;
    expect(second.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`in use by SecureTask (pid ${runtime.pid}, port ${port}`)]);
    expect(second.stdout).toBe('');
    // The first one's processes and files are untouched, and it answers.
    expect(isAlive(javaPid)).toBe(true);
    expect(JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8')).pid).toBe(runtime.pid);
    const answer = await fetch(runtime.graphqlUrl, {
      method: 'POST',
      headers: { 'x-api-key': runtime.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('is not blocked by what a kill -9 left behind, even a runtime.json whose pid is alive again', async () => {
    first!.child.kill('SIGKILL');
    await first!.exited;
    // The kernel may give the dead run's pid to anything: here, this test process has it.
    const left = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8'));
    await writeFile(path.join(dataDir, 'runtime.json'), JSON.stringify({ ...left, pid: process.pid }));
    const info = await securetask(['info'], env);
    expect(info.code).toBe(1);
    expect(info.stderr).toContain('no local stack is running');

    const again = await start(env);
    first = again;
    expect(again.output()).toContain(`the previous run (pid ${process.pid}) did not stop cleanly`);
    expect((await securetask(['info'], env)).code).toBe(0);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'runtime.json'))).toBe(false);
  });
});
