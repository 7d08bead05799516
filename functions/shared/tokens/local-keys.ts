import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { TOKEN_ALGORITHM } from './claims.ts';

/**
 * The local signing keys, in the rotation model the AWS stack follows with KMS
 * (cdk/constructs/tokens.ts): the active key signs (`active-kid` plays the KMS alias); keys
 * rotated out still verify until their `retireAt`, when every token they signed has expired.
 */
export interface LocalKeys {
  active: { kid: string; privateKey: CryptoKey };
  /** Every key that verifies now: the active one and those not yet retired. */
  publicKeys: Map<string, CryptoKey>;
  /** When each rotated-out key stops verifying; keys absent here verify until their file is deleted. */
  retireAt: Map<string, Date>;
}

/** A key pair file: the private JWK, plus when it retires once rotated out. */
type KeyFile = JWK & { retireAt?: string };

const ACTIVE_FILE = 'active-kid';
const keyFile = (dir: string, kid: string) => path.join(dir, `${kid}.jwk.json`);

/**
 * Loads the key pairs under `dir`, making the first one if there is none. Each pair is one
 * private JWK file, readable by the owner only. Keys retired by `now` are left out.
 */
export async function loadLocalKeys(dir: string, now = new Date()): Promise<LocalKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let activeKid = await readActiveKid(dir);
  if (!activeKid) activeKid = await rotateLocalKey(dir);

  const publicKeys = new Map<string, CryptoKey>();
  const retireAt = new Map<string, Date>();
  let privateKey: CryptoKey | undefined;
  for (const [kid, jwk] of await readKeyFiles(dir)) {
    const { d: _private, retireAt: retires, ...publicJwk } = jwk;
    if (kid === activeKid) privateKey = (await importJWK({ ...publicJwk, d: _private }, TOKEN_ALGORITHM)) as CryptoKey;
    else if (retires !== undefined) {
      if (Date.parse(retires) <= now.getTime()) continue;
      retireAt.set(kid, new Date(retires));
    }
    publicKeys.set(kid, (await importJWK(publicJwk, TOKEN_ALGORITHM)) as CryptoKey);
  }
  if (!privateKey) throw new Error(`the active signing key ${activeKid} is missing from ${dir}`);
  return { active: { kid: activeKid, privateKey }, publicKeys, retireAt };
}

/**
 * Makes a new key pair and makes it the one that signs. The key that signed until now stays,
 * so tokens it signed keep verifying: for `retireAfterSeconds` when given (the longest a token
 * lives, plus the authorizer's cache and clock skew), else until its `<kid>.jwk.json` is
 * deleted. Keys whose retirement has passed are deleted here.
 */
export async function rotateLocalKey(dir: string, options: { retireAfterSeconds?: number; now?: Date } = {}): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? new Date();
  const previous = await readActiveKid(dir);
  const kid = `local-${now.toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  await writeKeyFile(dir, kid, { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' });

  for (const [oldKid, jwk] of await readKeyFiles(dir)) {
    if (jwk.retireAt !== undefined && Date.parse(jwk.retireAt) <= now.getTime()) await rm(keyFile(dir, oldKid), { force: true });
    else if (oldKid === previous && options.retireAfterSeconds !== undefined) {
      await writeKeyFile(dir, oldKid, { ...jwk, retireAt: new Date(now.getTime() + options.retireAfterSeconds * 1000).toISOString() });
    }
  }
  await writeFile(path.join(dir, ACTIVE_FILE), kid);
  return kid;
}

async function readActiveKid(dir: string): Promise<string | undefined> {
  return readFile(path.join(dir, ACTIVE_FILE), 'utf8').then((s) => s.trim() || undefined, () => undefined);
}

async function readKeyFiles(dir: string): Promise<Map<string, KeyFile>> {
  const files = new Map<string, KeyFile>();
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.jwk.json')) continue;
    const jwk = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as KeyFile;
    files.set(jwk.kid!, jwk);
  }
  return files;
}

async function writeKeyFile(dir: string, kid: string, jwk: KeyFile): Promise<void> {
  await writeFile(keyFile(dir, kid), JSON.stringify(jwk), { mode: 0o600 });
  await chmod(keyFile(dir, kid), 0o600);
}
