/**
 * The server under test: SecureTask's local stack started as a child process (its own heap, so
 * its memory can be read from /proc), or any AppSync-protocol endpoint given on the command line.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Credentials } from './auth.ts';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const READY = 'SecureTask is ready';

/** A local stack running in a child process. */
export interface LocalTarget {
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
  region: string;
  /** The local IAM user's credentials (the publisher signs with them). */
  iam: Credentials;
  /** A session token for bench@example.com (role ADMIN: createTask may need it), minted by `securetask token`. */
  token: string;
  /** The runtime's process id (runtime.json `pid`): its VmRSS is the server's memory. */
  pid: number;
  /** The child's inspector WebSocket URL, to force a GC before memory readings; undefined without one. */
  inspectorUrl?: string;
  dataDir: string;
  /** Stops the child: SIGINT, then SIGKILL of its process group after 5 s. Removes the data folder. */
  stop(): Promise<void>;
}

/** Options for the child: extra Node flags (e.g. `--cpu-prof`), and progress lines. */
export interface LocalTargetOptions {
  nodeFlags: string[];
  /** Another checkout to run (bench/fanout measures main beside a branch); default this one. */
  projectRoot?: string;
  say: (line: string) => void;
  startTimeoutMs?: number;
}

/**
 * Starts `node bin/securetask.js start` with `PORT=0`, a fresh `SECURETASK_DATA_DIR` and silent
 * logs; waits for "SecureTask is ready"; reads runtime.json and iam-credentials.json; and mints a
 * subscriber token with `securetask token --email bench@example.com --role ADMIN`.
 */
export async function startLocalTarget(options: LocalTargetOptions): Promise<LocalTarget> {
  const root = options.projectRoot ?? projectRoot;
  const cli = path.join(root, 'bin/securetask.js');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'securetask-bench-rt-'));
  const env = { ...process.env, SECURETASK_DATA_DIR: dataDir, PORT: '0', SECURETASK_LOG_LEVEL: 'silent' };
  // The inspector lets the benchmark force a GC in the child before reading its memory.
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...options.nodeFlags, cli, 'start'], {
    cwd: root,
    env,
    detached: true, // its own process group: DynamoDB Local (Java) can be killed with it if it hangs
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = stopper(child, dataDir);
  try {
    const inspectorUrl = await waitForReady(child, options.startTimeoutMs ?? 120_000);
    const runtime = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8')) as {
      graphqlUrl: string;
      realtimeUrl: string;
      apiKey: string;
      region: string;
      pid: number;
    };
    const iam = JSON.parse(await readFile(path.join(dataDir, 'iam-credentials.json'), 'utf8')) as Credentials;
    options.say(`local stack ready at ${runtime.graphqlUrl} (pid ${runtime.pid}); minting a token for bench@example.com`);
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'token', '--email', 'bench@example.com', '--role', 'ADMIN'], { cwd: root, env });
    const token = stdout.trim().split('\n').at(-1)!.trim();
    if (!token) throw new Error('securetask token printed no token');
    return {
      graphqlUrl: runtime.graphqlUrl,
      realtimeUrl: runtime.realtimeUrl,
      apiKey: runtime.apiKey,
      region: runtime.region,
      iam: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey, sessionToken: iam.sessionToken },
      token,
      pid: runtime.pid,
      inspectorUrl,
      dataDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the inspector URL once the child prints the ready line; rejects if it exits first. */
function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let inspectorUrl: string | undefined;
    const timer = setTimeout(() => fail(`the local stack was not ready within ${timeoutMs / 1000} s`), timeoutMs);
    const fail = (message: string) => {
      clearTimeout(timer);
      reject(new Error(`${message}\n--- its output ---\n${stdout}${stderr}`.trimEnd()));
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes(READY)) {
        clearTimeout(timer);
        resolve(inspectorUrl);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
    });
    child.once('exit', (code, signal) => fail(`the local stack exited before it was ready (${signal ?? `code ${code}`})`));
    child.once('error', (error) => fail(`the local stack could not start: ${error.message}`));
  });
}

function stopper(child: ChildProcess, dataDir: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGINT');
        const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
        if ((await Promise.race([exited, timer])) === 'timeout') {
          try {
            process.kill(-child.pid!, 'SIGKILL'); // the child's own process group (it was started detached)
          } catch {
            child.kill('SIGKILL');
          }
          await exited;
        }
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      await rm(dataDir, { recursive: true, force: true });
    })());
}

/** The server's resident memory in bytes (VmRSS of /proc/<pid>/status). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

/** CPU seconds (user + system, all threads) the process has used so far, from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from after the command name, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
