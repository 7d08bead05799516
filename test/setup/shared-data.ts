import { REQUIRE_SHARED, sharedDataMissing } from '../helpers/shared-data.ts';

/**
 * vitest globalSetup: says once per run which suites skip for want of `../shared`, or fails the
 * run where `SECURETASK_REQUIRE_SHARED=1` asks for every suite (CI).
 */
export default function setup(): void {
  const missing = sharedDataMissing();
  if (!missing) return;
  if (process.env[REQUIRE_SHARED] === '1') throw new Error(`${missing}; ${REQUIRE_SHARED}=1 requires them here`);
  console.warn(`[skip] ${missing}`);
}
