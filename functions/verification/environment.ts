import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { VerificationPolicy } from '../../api/verification-policy.ts';
import { requiredEnv } from '../shared/env.ts';
import { sendEmail } from '../shared/mailer.ts';
import { kmsAliasSigner, kmsSigner } from '../shared/tokens/kms-sign.ts';
import { loadLocalKeys } from '../shared/tokens/local-keys.ts';
import type { LocalSigningKey, RemoteSigner } from '../shared/tokens/sign.ts';
import { TextractDocumentReader } from './documents/textract.ts';
import { RekognitionFaceMatcher } from './faces/rekognition.ts';
import type { VerificationContext } from './context.ts';
import { RateLimiter } from './rate-limits.ts';

/**
 * The verification context from the function's environment, the same variables in AWS (set by
 * the CDK stack) and locally (set by the local runtime). Built once per container.
 */
export function contextFromEnv(env: NodeJS.ProcessEnv = process.env): VerificationContext {
  const required = (name: string) => requiredEnv(name, env);
  const now = () => new Date();
  return {
    tables: {
      sessions: required('VERIFICATION_SESSIONS_TABLE'),
      users: required('USERS_TABLE'),
      invitations: required('INVITATIONS_TABLE'),
      audit: required('AUDIT_LOG_TABLE'),
    },
    bucket: required('IMAGES_BUCKET'),
    policy: JSON.parse(required('VERIFICATION_POLICY')) as VerificationPolicy,
    adminEmails: (env.ADMIN_EMAILS ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    token: { issuer: required('TOKEN_ISSUER'), audience: required('TOKEN_AUDIENCE'), lifetimeSeconds: Number(required('TOKEN_LIFETIME_SECONDS')) },
    matcher: new RekognitionFaceMatcher(),
    documents: new TextractDocumentReader(),
    limiter: new RateLimiter(required('RATE_LIMITS_TABLE'), now),
    signer: () => signingKey(env),
    sendEmail,
    now,
  };
}

let local: { dir: string; version: string; key: Promise<LocalSigningKey> } | undefined;
let alias: { name: string; signer: ReturnType<typeof kmsAliasSigner> } | undefined;

/**
 * The key that signs tokens: in AWS the one the KMS alias in `TOKEN_KMS_KEY_ID` names (a key id
 * there signs with that key), locally the active key of the key folder, re-read when
 * `securetask keys rotate` changes it. Both follow one model: see cdk/constructs/tokens.ts.
 */
async function signingKey(env: NodeJS.ProcessEnv): Promise<LocalSigningKey | RemoteSigner> {
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
