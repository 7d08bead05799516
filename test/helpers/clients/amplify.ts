/**
 * Starts the Amplify v6 client (amplify-child.ts) in a child process that trusts the local
 * stack's certificate (NODE_EXTRA_CA_CERTS, read by Node at startup only), and reads what it
 * reports: one JSON object per line. `stop()` asks it to unsubscribe and exit, and kills it if it
 * does not within a few seconds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const script = path.join(import.meta.dirname, 'amplify-child.ts');

export interface AmplifyChild {
  /** Every line the child printed, parsed (`{ kind: 'text', text }` when not JSON). */
  lines: any[];
  /** The first line that `match`es; rejects when the child exits first or after `timeoutMs`. */
  next(match: (line: any) => boolean, timeoutMs?: number): Promise<any>;
  /** stdout and stderr so far, for a failing test's log. */
  describe(): string;
  /** Stops the child; resolves with its exit code. */
  stop(): Promise<number | null>;
}

export function startAmplifyChild(options: {
  graphqlUrl: string;
  certificateFile: string;
  region?: string;
  subscriptions: { name: string; query: string; variables?: Record<string, unknown>; authToken?: string }[];
}): AmplifyChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: options.certificateFile,
      AMPLIFY_CHILD_CONFIG: JSON.stringify({ graphqlUrl: options.graphqlUrl, region: options.region ?? 'us-east-1', subscriptions: options.subscriptions }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: any[] = [];
  let stderr = '';
  const waiters = new Set<() => void>();
  const wake = () => [...waiters].forEach((w) => w());
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text));
    } catch {
      lines.push({ kind: 'text', text });
    }
    wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
      wake();
    }),
  );
  const describe = () => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n--- stderr ---\n${stderr}`;

  return {
    lines,
    describe,
    next(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const found = lines.find(match);
          if (found === undefined && child.exitCode === null && child.signalCode === null) return;
          waiters.delete(look);
          clearTimeout(timer);
          if (found !== undefined) resolve(found);
          else reject(new Error(`the Amplify child exited (${child.exitCode ?? child.signalCode}) without a matching line:\n${describe()}`));
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`no matching line from the Amplify child within ${timeoutMs} ms:\n${describe()}`));
        }, timeoutMs);
        waiters.add(look);
        look();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
}
