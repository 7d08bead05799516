import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Whether a process with this id is running (EPERM: it is, but it is not ours to signal).
 * A pid alone does not say WHICH process: the kernel hands a freed pid to the next process.
 * Check {@link commandLine} (or ask the process itself, as lib/folder-lock.ts does) before
 * acting on one read from a file.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The arguments a running process was started with, or undefined when it is not running.
 * Linux: /proc, exact; elsewhere `ps`, split on spaces (arguments with spaces come apart).
 */
export async function commandLine(pid: number): Promise<string[] | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const proc = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (proc !== undefined) return proc.split('\0').slice(0, -1);
  if (process.platform === 'linux') return undefined; // no /proc entry: not running
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'args=', '-p', String(pid)]);
    return stdout.trim() ? stdout.trim().split(/\s+/) : undefined;
  } catch {
    return undefined;
  }
}
