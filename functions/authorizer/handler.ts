import { createLogger } from '../shared/logger.ts';
import { loadLocalKeys, type LocalKeys } from '../shared/tokens/local-keys.ts';
import { getUser } from '../shared/users.ts';
import { authorize } from './authorize.ts';

/** The AppSync AWS_LAMBDA authorizer event (the parts this function reads). */
interface AppSyncAuthorizerEvent {
  authorizationToken: string;
  requestContext: { requestId: string; operationName?: string };
}

const log = createLogger('authorizer');

let keys: Promise<LocalKeys> | undefined;
let keysDir: string | undefined;
let keysLoadedAt = 0;

/** Public keys by `kid`; reloaded (at most every 5 s) when an unknown `kid` may be a rotated key. */
async function publicKey(kid: string) {
  const dir = process.env.TOKEN_KEYS_DIR;
  if (!dir) throw new Error('TOKEN_KEYS_DIR is not set');
  if (!keys || keysDir !== dir || (!(await keys).publicKeys.has(kid) && Date.now() - keysLoadedAt > 5_000)) {
    keys = loadLocalKeys(dir);
    keysDir = dir;
    keysLoadedAt = Date.now();
  }
  return (await keys).publicKeys.get(kid);
}

/** Lambda entry point: parse, delegate to `authorize`, shape AppSync's answer. */
export async function handler(event: AppSyncAuthorizerEvent) {
  const decision = await authorize(event.authorizationToken ?? '', {
    issuer: required('TOKEN_ISSUER'),
    audience: required('TOKEN_AUDIENCE'),
    resultTtlSeconds: Number(required('AUTHORIZER_TTL_SECONDS')),
    publicKey,
    findUser: (id) => getUser(required('USERS_TABLE'), id),
  });
  if (!decision.isAuthorized) {
    log.warn('denied', { reason: decision.reason, requestId: event.requestContext?.requestId });
    return { isAuthorized: false };
  }
  const { resolverContext, deniedFields, ttlOverride } = decision;
  return { isAuthorized: true, resolverContext, deniedFields, ttlOverride };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
