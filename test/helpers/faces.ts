import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from './stack.ts';

/** The shared face images (../shared/faces): data for tests, never copied into the project. */
export const facesDir = path.resolve(projectRoot, '../shared/faces');

/** Whether the shared images are here; suites that need them skip, saying why, when not. */
export const facesAvailable = existsSync(path.join(facesDir, 'photos'));

if (!facesAvailable) console.warn(`[skip] face tests: ${facesDir} is absent (see ../shared/faces/README.md)`);

/** One shared image, by its path under ../shared/faces (`photos/obama_1.jpg`). */
export function face(file: string): Promise<Buffer> {
  return readFile(path.join(facesDir, file));
}

/** The media type of image bytes, by magic number. */
export function contentTypeOf(bytes: Uint8Array): string {
  return bytes[0] === 0x89 ? 'image/png' : 'image/jpeg';
}
