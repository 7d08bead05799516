import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenKeyRetirementSeconds } from '../../api/config.ts';
import { loadLocalKeys, rotateLocalKey } from '../../functions/shared/tokens/local-keys.ts';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';

// Key rotation end to end on the local stack, over the real API and its real authorizer: the
// model the AWS stack follows with its KMS alias (docs/operations.md, "Rotating the token key").
let stack: TestStack;
let keysDir: string;

beforeAll(async () => {
  // No authorizer cache: each request is decided by the authorizer with the keys as they are now.
  stack = await startTestStack({ config: { authorizerResultTtlSeconds: 0 } });
  keysDir = path.join(stack.dataDir, 'keys');
});
afterAll(() => stack?.stop());

const me = async (token: string) => (await stack.graphql('{ me { id } }', undefined, { authorization: token })).status;
const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;

describe('rotating the token key locally', () => {
  it('`securetask keys rotate`: the new key signs, tokens of the old key keep working, and the old key retires once its last token has expired', async () => {
    const before = await stack.tokenFor('before@example.com', 'MEMBER');
    expect(await me(before.token)).toBe(200);

    const rotated = spawnSync(process.execPath, [path.join(projectRoot, 'bin/securetask.js'), 'keys', 'rotate'], {
      env: { ...process.env, SECURETASK_DATA_DIR: stack.dataDir, SECURETASK_TOKEN_LIFETIME_SECONDS: String(stack.config.tokenLifetimeSeconds) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    const retireAfter = tokenKeyRetirementSeconds(stack.config);
    expect(rotated.stdout).toMatch(new RegExp(`new signing key (local-\\S+); the previous key verifies the tokens it signed for ${retireAfter} s more`));

    const after = await stack.tokenFor('after@example.com', 'MEMBER');
    expect(kidOf(after.token)).not.toBe(kidOf(before.token));
    expect(kidOf(after.token)).toBe((await loadLocalKeys(keysDir)).active.kid);
    expect(await me(before.token)).toBe(200);
    expect(await me(after.token)).toBe(200);

    // The old key retires when every token it signed has expired: a token minted just before the
    // rotation lives the token lifetime, and the authorizer allows a minute of clock skew.
    const oldKey = JSON.parse(await readFile(path.join(keysDir, `${kidOf(before.token)}.jwk.json`), 'utf8')) as { retireAt: string };
    const lastExpiry = Date.now() + stack.config.tokenLifetimeSeconds * 1000;
    expect(Date.parse(oldKey.retireAt)).toBeGreaterThanOrEqual(lastExpiry - 10_000);
    expect(Date.parse(oldKey.retireAt)).toBeLessThanOrEqual(lastExpiry + 60_000);
  }, 120_000);

  it('once a retired key is past its time, its tokens are refused and the signing key keeps working; the next rotation deletes it', async () => {
    const old = await stack.tokenFor('retiring@example.com', 'MEMBER');
    // A short life instead of the token lifetime, so the test need not wait half an hour.
    await rotateLocalKey(keysDir, { retireAfterSeconds: 8 });
    const retireAt = (await loadLocalKeys(keysDir)).retireAt.get(kidOf(old.token))!;
    expect(await me(old.token)).toBe(200);
    const fresh = await stack.tokenFor('retiring@example.com', 'MEMBER');
    expect(await me(fresh.token)).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, retireAt.getTime() - Date.now()) + 500));
    expect(await me(old.token)).toBe(401);
    expect(await me(fresh.token)).toBe(200);

    await rotateLocalKey(keysDir, { retireAfterSeconds: 60 });
    const keys = await loadLocalKeys(keysDir);
    expect(keys.publicKeys.has(kidOf(old.token))).toBe(false);
    await expect(readFile(path.join(keysDir, `${kidOf(old.token)}.jwk.json`))).rejects.toThrow(/ENOENT/);
    // The key that signed `fresh` is now the one retiring, and still verifies.
    expect(keys.retireAt.has(kidOf(fresh.token))).toBe(true);
    expect(await me(fresh.token)).toBe(200);
  }, 120_000);
});
