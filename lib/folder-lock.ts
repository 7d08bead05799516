/**
 * One live process per folder, with no lock file that a crash could leave behind.
 *
 * The holder listens on a Unix socket named after the folder. On Linux the name lives in the
 * abstract namespace: the kernel frees it when the holder ends, however it ends (kill -9
 * included), and binding it is atomic, so there is never a stale lock to judge. Elsewhere the
 * socket is a file in the temp folder, taken over when nothing answers on it. Being able to
 * connect proves the holder is alive, so a recycled pid can never pass for one; the holder then
 * answers with its own description (pid, port...), which is how a refusal names it.
 *
 * Anyone on the machine can connect and read that description: put nothing secret in it.
 */
import { createHash } from 'node:crypto';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SecureTaskError } from './errors.ts';

/** What a holder says about itself: its pid, and whatever its `describe` adds. */
export interface FolderHolder {
  pid: number;
  [detail: string]: unknown;
}

/** A held folder. */
export interface FolderLock {
  /** Lets the next process take the folder. */
  release(): Promise<void>;
}

/** Thrown by {@link lockFolder} when a live process holds the folder. */
export class FolderInUseError extends SecureTaskError {
  override readonly code = 'FOLDER_IN_USE';
  readonly folder: string;
  /** The holder's own description; undefined when it did not answer in time (busy), though alive. */
  readonly holder: FolderHolder | undefined;
  constructor(folder: string, holder: FolderHolder | undefined) {
    super(`${folder} is in use by ${holder ? `pid ${holder.pid}` : 'another process'}`);
    this.folder = folder;
    this.holder = holder;
  }
}

/** How the socket is named: Linux's abstract namespace, or a file (other systems; tests). */
export type LockNamespace = 'abstract' | 'file';

const defaultNamespace: LockNamespace = process.platform === 'linux' ? 'abstract' : 'file';

/**
 * Takes `folder` (made if missing) for this process, or throws {@link FolderInUseError} naming
 * the live holder. `describe` is asked each time another process asks who holds the folder.
 */
export async function lockFolder(
  folder: string,
  describe: () => Record<string, unknown> = () => ({}),
  namespace: LockNamespace = defaultNamespace,
): Promise<FolderLock> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const address = await socketAddress(folder, namespace);
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(JSON.stringify({ ...describe(), pid: process.pid }) + '\n');
  });
  // The lock must not keep a process alive that has nothing else left to do.
  server.unref();
  for (let attempt = 0; ; attempt++) {
    const error = await listen(server, address);
    if (!error) break;
    if (error.code !== 'EADDRINUSE') throw error;
    const holder = await ask(address);
    if (holder !== 'nobody') throw new FolderInUseError(folder, holder);
    // A socket file nobody listens on is what a killed holder leaves (file namespace only; an
    // abstract name is freed by the kernel, so "nobody" there means the holder just left).
    if (namespace === 'file') await rm(address, { force: true });
    if (attempt === 2) throw new Error(`could not lock ${folder}: ${error.message}`);
  }
  let released: Promise<void> | undefined;
  return {
    release: () =>
      (released ??= new Promise<void>((resolve) => server.close(() => resolve())).then(async () => {
        // Closing a listener removes its own socket file; this is for one left by an error.
        if (namespace === 'file') await rm(address, { force: true }).catch(() => undefined);
      })),
  };
}

/**
 * The live process holding `folder`, or undefined when none does. A holder too busy to answer
 * within the timeout is reported as `{ pid: 0 }`: alive, but unnamed.
 */
export async function folderHolder(folder: string, namespace: LockNamespace = defaultNamespace): Promise<FolderHolder | undefined> {
  const address = await socketAddress(folder, namespace).catch(() => undefined);
  if (!address) return undefined; // no such folder: nobody holds it
  const holder = await ask(address);
  if (holder === 'nobody') return undefined;
  return holder ?? { pid: 0 };
}

/** The socket's name for a folder: one per real path, so `./data` and its symlink agree. */
async function socketAddress(folder: string, namespace: LockNamespace): Promise<string> {
  const hash = createHash('sha256').update(await realpath(folder)).digest('hex').slice(0, 32);
  // File sockets: the temp folder keeps the path under the 104-byte limit of sun_path.
  return namespace === 'abstract' ? `\0securetask-folder-lock-${hash}` : path.join(tmpdir(), `securetask-${hash}.lock`);
}

function listen(server: Server, address: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error);
    server.once('error', onError);
    server.listen({ path: address }, () => {
      server.off('error', onError);
      resolve(undefined);
    });
  });
}

/**
 * Who listens at `address`: 'nobody' when the connection is refused (or there is no socket),
 * the holder's answer, or undefined when it accepted but did not answer within 2 s.
 */
function ask(address: string): Promise<FolderHolder | 'nobody' | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ path: address });
    let answer = '';
    let connected = false;
    const done = (result: FolderHolder | 'nobody' | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(connected ? undefined : 'nobody'), 2_000);
    socket.setEncoding('utf8');
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => done(parseHolder(answer)));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(connected ? parseHolder(answer) : error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'nobody' : undefined),
    );
  });
}

function parseHolder(text: string): FolderHolder | undefined {
  try {
    const parsed = JSON.parse(text) as FolderHolder;
    return Number.isInteger(parsed.pid) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
