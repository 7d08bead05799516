import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { facesAvailable, sharedFacesDir } from './shared-data.ts';

/** The shared face images (../shared/faces): data for tests, never copied into the project. */
export const facesDir = sharedFacesDir;

/** Whether the shared images are here; suites that need them skip (the run's setup says why). */
export { facesAvailable };

/** One shared image, by its path under ../shared/faces (`photos/obama_1.jpg`). */
export function face(file: string): Promise<Buffer> {
  return readFile(path.join(facesDir, file));
}

/** The media type of image bytes, by magic number. */
export function contentTypeOf(bytes: Uint8Array): string {
  return bytes[0] === 0x89 ? 'image/png' : 'image/jpeg';
}
