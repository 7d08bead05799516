/** Waits for conditions with a deadline: fault tests never assert on a fixed sleep. */

/** Resolves once `check` returns true (it may be async); rejects after `timeoutMs` naming `what`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** How many rounds of each fault to run: 1 in CI, more on demand (`FAULTS_ROUNDS=5 npx vitest run test/faults`). */
export const ROUNDS = Math.max(1, Number(process.env.FAULTS_ROUNDS ?? 1) || 1);
