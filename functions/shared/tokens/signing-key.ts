import { stat } from 'node:fs/promises';
import path from 'node:path';
import { kmsSigner } from './kms-sign.ts';
import { loadLocalKeys } from './local-keys.ts';
import type { LocalSigningKey, RemoteSigner } from './sign.ts';

let local: { dir: string; version: string; key: Promise<LocalSigningKey> } | undefined;

/**
 * The key that signs tokens (session and dashboard tokens alike): the KMS key in AWS (the first of
 * `TOKEN_KMS_KEY_ID`; the others are keys being rotated out, which only verify), the active key
 * of the local key folder otherwise, re-read when `securetask keys rotate` changes it.
 */
export async function signingKey(env: NodeJS.ProcessEnv = process.env): Promise<LocalSigningKey | RemoteSigner> {
  const kmsKey = env.TOKEN_KMS_KEY_ID?.split(',')[0]?.trim();
  if (kmsKey) return kmsSigner(kmsKey);
  const dir = env.TOKEN_KEYS_DIR;
  if (!dir) throw new Error('neither TOKEN_KMS_KEY_ID nor TOKEN_KEYS_DIR is set');
  const version = String((await stat(path.join(dir, 'active-kid')).catch(() => undefined))?.mtimeMs);
  if (!local || local.dir !== dir || local.version !== version) local = { dir, version, key: loadLocalKeys(dir).then((keys) => keys.active) };
  return local.key;
}
