import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { importSPKI, type CryptoKey } from 'jose';
import { tracer } from '../observability.ts';
import { TOKEN_ALGORITHM } from './claims.ts';

/**
 * Public keys of the KMS keys that sign tokens in AWS (the private key never leaves KMS).
 * `keyIds` lists the keys whose tokens are accepted: the one that signs now first, then keys
 * being rotated out. A token's `kid` is its signing key's id; any other `kid` is refused
 * without asking KMS. Keys never change, so each is fetched once per container.
 */
export function kmsPublicKeys(keyIds: readonly string[], client = tracer.captureAWSv3Client(new KMSClient({}))) {
  const cache = new Map<string, Promise<CryptoKey>>();
  return async (kid: string): Promise<CryptoKey | undefined> => {
    if (!keyIds.includes(kid)) return undefined;
    let key = cache.get(kid);
    if (!key) {
      key = fetchPublicKey(client, kid);
      cache.set(kid, key);
      key.catch(() => cache.delete(kid)); // a failed fetch is retried next time
    }
    return key;
  };
}

async function fetchPublicKey(client: KMSClient, keyId: string): Promise<CryptoKey> {
  const { PublicKey, KeySpec } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!PublicKey || KeySpec !== 'ECC_NIST_P256') throw new Error(`KMS key ${keyId} is not an ECC_NIST_P256 key`);
  const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
  return importSPKI(pem, TOKEN_ALGORITHM);
}
