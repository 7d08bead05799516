import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { TOKEN_ALGORITHM } from './claims.ts';

/** The local signing keys: the active one signs, every one still on disk verifies. */
export interface LocalKeys {
  active: { kid: string; privateKey: CryptoKey };
  publicKeys: Map<string, CryptoKey>;
}

const ACTIVE_FILE = 'active-kid';

/**
 * Loads the key pairs under `dir`, making the first one if there is none. Each pair is one
 * private JWK file, readable by the owner only. The AWS stack keeps its key in KMS instead.
 */
export async function loadLocalKeys(dir: string): Promise<LocalKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let activeKid = await readFile(path.join(dir, ACTIVE_FILE), 'utf8').then((s) => s.trim(), () => undefined);
  if (!activeKid) activeKid = await rotateLocalKey(dir);

  const publicKeys = new Map<string, CryptoKey>();
  let privateKey: CryptoKey | undefined;
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.jwk.json')) continue;
    const jwk = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as JWK;
    const kid = jwk.kid!;
    const { d: _private, ...publicJwk } = jwk;
    publicKeys.set(kid, (await importJWK(publicJwk, TOKEN_ALGORITHM)) as CryptoKey);
    if (kid === activeKid) privateKey = (await importJWK(jwk, TOKEN_ALGORITHM)) as CryptoKey;
  }
  if (!privateKey) throw new Error(`the active signing key ${activeKid} is missing from ${dir}`);
  return { active: { kid: activeKid, privateKey }, publicKeys };
}

/**
 * Makes a new key pair and makes it the one that signs. Older keys stay on disk, so tokens
 * they signed keep verifying until they expire; delete an old `<kid>.jwk.json` to revoke it.
 */
export async function rotateLocalKey(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const kid = `local-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  const file = path.join(dir, `${kid}.jwk.json`);
  await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  await chmod(file, 0o600);
  await writeFile(path.join(dir, ACTIVE_FILE), kid);
  return kid;
}
