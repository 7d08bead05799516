import { stat } from 'node:fs/promises';
import path from 'node:path';
import { kmsAliasSigner, kmsSigner } from './kms-sign.ts';
import { loadLocalKeys } from './local-keys.ts';
import type { LocalSigningKey, RemoteSigner } from './sign.ts';

let local: { dir: string; version: string; key: Promise<LocalSigningKey> } | undefined;
let alias: { name: string; signer: ReturnType<typeof kmsAliasSigner> } | undefined;

/**
 * The key that signs tokens (session and dashboard tokens alike): in AWS the one the KMS alias in
 * `TOKEN_KMS_KEY_ID` names (a key id there signs with that key; the others listed are keys being
 * rotated out, which only verify), locally the active key of the key folder, re-read when
 * `securetask keys rotate` changes it. Both follow one model: see cdk/constructs/tokens.ts.
 */
export async function signingKey(env: NodeJS.ProcessEnv = process.env): Promise<LocalSigningKey | RemoteSigner> {
  const kmsKey = env.TOKEN_KMS_KEY_ID?.split(',')[0]?.trim();
  if (kmsKey?.startsWith('alias/')) {
    if (alias?.name !== kmsKey) alias = { name: kmsKey, signer: kmsAliasSigner(kmsKey) };
    return alias.signer();
  }
  if (kmsKey) return kmsSigner(kmsKey);
  const dir = env.TOKEN_KEYS_DIR;
  if (!dir) throw new Error('neither TOKEN_KMS_KEY_ID nor TOKEN_KEYS_DIR is set');
  const version = String((await stat(path.join(dir, 'active-kid')).catch(() => undefined))?.mtimeMs);
  if (!local || local.dir !== dir || local.version !== version) local = { dir, version, key: loadLocalKeys(dir).then((keys) => keys.active) };
  return local.key;
}
