import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderHolder, FolderInUseError, lockFolder, type LockNamespace } from '../../lib/folder-lock.ts';

const lockModule = fileURLToPath(new URL('../../lib/folder-lock.ts', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'securetask-lock-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Another process that takes `folder` and keeps it until killed; resolves once it holds it. */
async function holderProcess(folder: string, namespace: LockNamespace) {
  const code = `const { lockFolder } = await import(${JSON.stringify(lockModule)});
await lockFolder(${JSON.stringify(folder)}, () => ({ port: 4242 }), ${JSON.stringify(namespace)});
console.log('HELD'); setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('HELD') && resolve());
    child.once('exit', (status) => reject(new Error(`the holder exited (${status}) before taking the folder`)));
  });
  return child;
}

describe.each<LockNamespace>(['abstract', 'file'])('lockFolder (%s socket)', (namespace) => {
  it('lets one holder in, names it to the next, and lets the next in once it is released', async () => {
    const folder = path.join(dir, `taken-${namespace}`);
    const lock = await lockFolder(folder, () => ({ state: 'ready', port: 4000 }), namespace);
    const refused = await lockFolder(folder, undefined, namespace).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FolderInUseError);
    expect((refused as FolderInUseError).holder).toEqual({ pid: process.pid, state: 'ready', port: 4000 });
    expect(await folderHolder(folder, namespace)).toEqual({ pid: process.pid, state: 'ready', port: 4000 });

    await lock.release();
    expect(await folderHolder(folder, namespace)).toBeUndefined();
    await (await lockFolder(folder, undefined, namespace)).release();
  });

  it('is free at once when its holder is killed with SIGKILL', { timeout: 30_000 }, async () => {
    const folder = path.join(dir, `killed-${namespace}`);
    const child = await holderProcess(folder, namespace);
    expect(await folderHolder(folder, namespace)).toEqual({ pid: child.pid, port: 4242 });
    await expect(lockFolder(folder, undefined, namespace)).rejects.toThrow(`in use by pid ${child.pid}`);

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await folderHolder(folder, namespace)).toBeUndefined();
    await (await lockFolder(folder, undefined, namespace)).release();
  });
});

it('says nobody holds a folder that does not exist', async () => {
  expect(await folderHolder(path.join(dir, 'no-such-folder'))).toBeUndefined();
});
