import { dataFiles, type RuntimeInfo } from '../data-dir.ts';
import { folderHolder } from '../../lib/folder-lock.ts';

/**
 * The local stack serving this data folder, as its `securetask start` recorded it in
 * runtime.json. Whether one runs is asked of the folder's lock, not of the pid in the file: a
 * runtime.json left by a killed run may name a pid the kernel has since given to another process.
 */
export async function runningStack(dataDir: string): Promise<RuntimeInfo> {
  const holder = await folderHolder(dataDir);
  if (!holder) throw new Error(`no local stack is running for ${dataDir}: start one with \`npm start\``);
  // A torn runtime.json (killed mid-write) says as much as a missing one.
  const recorded = await dataFiles(dataDir).runtimeInfo().catch(() => undefined);
  if (holder.state !== 'ready' || recorded?.pid !== holder.pid) {
    throw new Error(`the local stack for ${dataDir} (pid ${holder.pid}) is still starting: try again once it says it is ready`);
  }
  return recorded;
}
