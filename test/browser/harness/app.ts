/**
 * SecureTask as a person gets it: `node bin/securetask.js start` (what `npm start` runs) on a free
 * port with a fresh data folder, serving the web app built in frontend/dist. Resolves once the
 * start screen says it is ready and the face matcher has loaded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../../..');

export interface RunningApp {
  /** The web app, e.g. http://127.0.0.1:41234/ */
  url: string;
  graphqlUrl: string;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  /** A session token for a local user, as `npx securetask token` prints it. */
  token(email: string, role: 'ADMIN' | 'MEMBER'): Promise<string>;
  /** Calls the API with a token, as a script would. */
  graphql(token: string, query: string, variables?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

/** Starts the app; `env` adds settings (policy thresholds, ADMIN_EMAILS…). */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'securetask-e2e-'));
  const child = spawn(process.execPath, ['bin/securetask.js', 'start'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', SECURETASK_DATA_DIR: dataDir, SECURETASK_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    // Long: on a 2-core machine shared with other runs, starting (Java, the face models) has taken 80 s and more.
    const timer = setTimeout(() => reject(new Error(`SecureTask did not start within 240 s:\n${output}`)), 240_000);
    const check = () => {
      const open = /Open\s+(http:\/\/\S+\/)/.exec(output)?.[1];
      if (open && /face matcher ready/.test(output)) {
        clearTimeout(timer);
        resolve(open);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`SecureTask exited with ${code} before it was ready:\n${output}`));
    });
  });
  const graphqlUrl = new URL('/graphql', url).toString();

  return {
    url,
    graphqlUrl,
    dataDir,
    output: () => output,
    token: (email, role) => run(['token', '--email', email, '--role', role], dataDir).then((out) => out.trim()),
    async graphql(token, query, variables) {
      const response = await fetch(graphqlUrl, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    stop: () => stop(child, dataDir),
  };
}

function run(args: string[], dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/securetask.js', ...args], { cwd: projectRoot, env: { ...process.env, SECURETASK_DATA_DIR: dataDir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`securetask ${args.join(' ')} failed: ${err}`))));
  });
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
