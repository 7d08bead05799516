import { FolderInUseError, lockFolder, type FolderHolder } from '../../lib/folder-lock.ts';
import { projectDataDir, shown } from './project.ts';

/**
 * `securetask start` (`npm start`): SecureTask on this machine until Ctrl+C. The data folder is
 * taken first, before anything is loaded or started: a second start on a folder in use says
 * who has it, at once, and leaves the first one's processes alone.
 */
export async function start(): Promise<number> {
  const dataDir = projectDataDir();
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);

  // What this process answers another that asks who holds the folder.
  let serving: { port: number; url: string } | undefined;
  let lock;
  try {
    lock = await lockFolder(dataDir, () => (serving ? { state: 'ready', ...serving } : { state: 'starting', port: port || undefined }));
  } catch (error) {
    if (!(error instanceof FolderInUseError)) throw error;
    console.error(
      `securetask: the data folder ${shown(dataDir)} is in use by ${holderText(error.holder)}: ` +
        'stop that one first (Ctrl+C where it runs), or start with SECURETASK_DATA_DIR=<another folder>',
    );
    return 1;
  }
  console.log(`SecureTask: starting the local stack on Node ${process.version} (data in ${shown(dataDir)})`);
  try {
    const { serve } = await import('./serve.ts');
    return await serve({ dataDir, port, onReady: (ready) => (serving = ready) });
  } finally {
    await lock.release();
  }
}

/** Who holds a data folder, in words: `SecureTask (pid 4242, port 4000, http://127.0.0.1:4000/)`. */
function holderText(holder: FolderHolder | undefined): string {
  if (!holder) return 'another process (too busy to say which)';
  const { pid, state, port, url } = holder;
  if (state === 'ready') return `SecureTask (pid ${pid}, port ${String(port)}, ${String(url)})`;
  if (state === 'starting') return `SecureTask (pid ${pid}${port ? `, port ${String(port)}` : ''}, still starting)`;
  return `pid ${pid}`;
}
