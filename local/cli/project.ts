import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../data-dir.ts';

/** The checkout this CLI belongs to. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The data folder a command works on: `.securetask/` in the project, or `SECURETASK_DATA_DIR`. */
export const projectDataDir = (): string => resolveDataDir(projectRoot);

/** A path as a person wants to read it: relative when it is below the working folder. */
export function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative || '.';
}
