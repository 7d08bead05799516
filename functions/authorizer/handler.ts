import { stat } from 'node:fs/promises';
import path from 'node:path';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { observe } from '../shared/observability.ts';
import { kmsPublicKeys } from '../shared/tokens/kms-keys.ts';
import { loadLocalKeys, type LocalKeys } from '../shared/tokens/local-keys.ts';
import { findDashboardToken, findMemberships } from '../shared/boards.ts';
import { getUser } from '../shared/users.ts';
import { authorize } from './authorize.ts';

/** The AppSync AWS_LAMBDA authorizer event (the parts this function reads). */
interface AppSyncAuthorizerEvent {
  authorizationToken: string;
  requestContext: { requestId: string; operationName?: string };
}

const log = createLogger('authorizer');

let keys: { dir: string; version: string; loaded: Promise<LocalKeys> } | undefined;
let kms: { keyIds: string; lookup: ReturnType<typeof kmsPublicKeys> } | undefined;

/**
 * The public key for a `kid`, if it is one of the ring's (cdk/constructs/tokens.ts): from KMS in
 * AWS (`TOKEN_KMS_KEY_ID`, the ring's key ids, the signing key first), from the local key folder
 * otherwise (`TOKEN_KEYS_DIR`).
 */
async function publicKey(kid: string) {
  const keyIds = process.env.TOKEN_KMS_KEY_ID;
  if (keyIds) {
    if (kms?.keyIds !== keyIds) kms = { keyIds, lookup: kmsPublicKeys(keyIds.split(',').map((id) => id.trim())) };
    return kms.lookup(kid);
  }
  const dir = process.env.TOKEN_KEYS_DIR;
  if (!dir) throw new Error('neither TOKEN_KMS_KEY_ID nor TOKEN_KEYS_DIR is set');
  return localPublicKey(dir, kid);
}

/**
 * A key from the folder as it is now: adding a key (rotation) or deleting one (revocation)
 * changes the folder, and the next lookup sees it. Only cache misses of AppSync's authorizer
 * cache reach here, so one `stat` per call costs nothing that matters.
 */
async function localPublicKey(dir: string, kid: string) {
  const version = await keyFolderVersion(dir);
  if (!keys || keys.dir !== dir || keys.version !== version) keys = { dir, version, loaded: loadLocalKeys(dir) };
  const { publicKeys, retireAt } = await keys.loaded;
  // A key rotated out verifies until its retirement, which can pass while the folder is unchanged.
  const retires = retireAt.get(kid);
  return retires && retires.getTime() <= Date.now() ? undefined : publicKeys.get(kid);
}

async function keyFolderVersion(dir: string): Promise<string> {
  const [folder, active] = await Promise.all([stat(dir).catch(() => undefined), stat(path.join(dir, 'active-kid')).catch(() => undefined)]);
  return `${folder?.mtimeMs}:${active?.mtimeMs}`;
}

/** Lambda entry point: parse, delegate to `authorize`, shape AppSync's answer. */
export const handler = observe(log, async (event: AppSyncAuthorizerEvent) => {
  const decision = await authorize(event.authorizationToken ?? '', {
    issuer: requiredEnv('TOKEN_ISSUER'),
    audience: requiredEnv('TOKEN_AUDIENCE'),
    resultTtlSeconds: Number(requiredEnv('AUTHORIZER_TTL_SECONDS')),
    // Every function gets TOKEN_LIFETIME_SECONDS (api/naming.ts); unset, only the other checks apply.
    maxLifetimeSeconds: process.env.TOKEN_LIFETIME_SECONDS ? Number(process.env.TOKEN_LIFETIME_SECONDS) : undefined,
    publicKey,
    findUser: (id) => getUser(requiredEnv('USERS_TABLE'), id),
    findMemberships: (userId) => findMemberships(requiredEnv('BOARD_MEMBERS_TABLE'), userId),
    findDashboardToken: (id) => findDashboardToken(requiredEnv('DASHBOARD_TOKENS_TABLE'), id),
  });
  if (!decision.isAuthorized) {
    log.warn('denied', { reason: decision.reason, requestId: event.requestContext?.requestId });
    return { isAuthorized: false };
  }
  const { resolverContext, deniedFields, ttlOverride } = decision;
  return { isAuthorized: true, resolverContext, deniedFields, ttlOverride };
});
