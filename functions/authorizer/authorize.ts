import type { CryptoKey } from 'jose';
import { verifySessionToken, TokenRejectedError } from '../shared/tokens/verify.ts';
import type { TokenAudience } from '../shared/tokens/claims.ts';
import type { UserRecord } from '../shared/users.ts';

/** What the authorizer decided, with the reason when it said no. */
export type AuthorizationDecision =
  | {
      isAuthorized: true;
      resolverContext: { userId: string; email: string; role: string; tokenExpiresAt: string };
      deniedFields: string[];
      ttlOverride: number;
    }
  | { isAuthorized: false; reason: string };

export interface AuthorizeDependencies extends TokenAudience {
  publicKey: (kid: string) => Promise<CryptoKey | undefined>;
  findUser: (id: string) => Promise<UserRecord | undefined>;
  /** The API's cache TTL: no result may be cached past the token's own expiry. */
  resultTtlSeconds: number;
  /** The configured token lifetime: a token that claims a longer life is refused. */
  maxLifetimeSeconds?: number;
  now?: Date;
}

/**
 * Decides whether a token opens the API: the token must verify (see `verifySessionToken`) and
 * its user must still exist and be ACTIVE. The role comes from the Users table, not the token,
 * so a role change applies within the authorizer cache TTL.
 */
export async function authorize(authorizationToken: string, deps: AuthorizeDependencies): Promise<AuthorizationDecision> {
  const token = authorizationToken.startsWith('Bearer ') ? authorizationToken.slice(7) : authorizationToken;
  let session;
  try {
    session = await verifySessionToken(token, deps.publicKey, deps);
  } catch (error) {
    if (error instanceof TokenRejectedError) return { isAuthorized: false, reason: error.code };
    throw error;
  }
  const user = await deps.findUser(session.userId);
  if (!user) return { isAuthorized: false, reason: 'USER_UNKNOWN' };
  if (user.status !== 'ACTIVE') return { isAuthorized: false, reason: `USER_${user.status}` };
  // Signing out raises the generation: every token minted before it stops working.
  if (session.generation !== (user.tokenGeneration ?? 0)) return { isAuthorized: false, reason: 'TOKEN_REVOKED' };

  const now = (deps.now ?? new Date()).getTime();
  const secondsLeft = Math.max(0, Math.floor((session.expiresAt.getTime() - now) / 1000));
  return {
    isAuthorized: true,
    resolverContext: {
      userId: user.id,
      email: user.email,
      role: user.role,
      tokenExpiresAt: session.expiresAt.toISOString(),
    },
    deniedFields: [],
    ttlOverride: Math.min(deps.resultTtlSeconds, secondsLeft),
  };
}
