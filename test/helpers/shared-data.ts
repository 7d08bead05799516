/**
 * The data beside the checkout in `../shared` that tests read but the project never copies in:
 * the real face images. Suites that need them skip when they are absent; the run's global setup
 * (test/setup/shared-data.ts) says why, once, and fails the run instead where
 * `SECURETASK_REQUIRE_SHARED=1` (CI), so that a CI run never passes with them skipped.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** `../shared/faces`: people, photos and ID cards (see its README.md). */
export const sharedFacesDir = path.resolve(import.meta.dirname, '../../../shared/faces');

/** Whether the face images are here: every suite that needs them skips when not. */
export const facesAvailable = ['photos', 'people', 'cards'].every((folder) => existsSync(path.join(sharedFacesDir, folder)));

/** Set to 1 where skipping the suites that need `../shared` must fail the run (`.ci/run`). */
export const REQUIRE_SHARED = 'SECURETASK_REQUIRE_SHARED';

/** What is missing and what that skips, or undefined when everything is here. */
export function sharedDataMissing(): string | undefined {
  if (facesAvailable) return undefined;
  return `${sharedFacesDir} is absent (or lacks photos/, people/, cards/): the suites that need real faces are skipped (the face engine, verification, face sign-in attacks, image fuzzing)`;
}
