import type { CryptoKey } from 'jose';
import { encodeMemberships } from '../../rules/board-access.ts';
import { claimsDashboard, verifyDashboardToken } from '../shared/tokens/dashboard.ts';
import { verifySessionToken, TokenRejectedError } from '../shared/tokens/verify.ts';
import type { TokenAudience } from '../shared/tokens/claims.ts';
import type { UserRecord } from '../shared/users.ts';
import { DASHBOARD_DENIED_FIELDS } from './dashboard-fields.ts';

/** What the resolvers learn of a person signed in with a session token. */
export interface SessionContext {
  userId: string;
  email: string;
  role: string;
  tokenExpiresAt: string;
  /** Their boards and board roles, "boardId:ROLE" pairs (rules/board-access.ts), as of this decision. */
  boards: string;
}

/** What the resolvers learn of a dashboard token: its board, and no person. */
export interface DashboardContext {
  dashboardTokenId: string;
  dashboardBoardId: string;
}

/** What the authorizer decided, with the reason when it said no. */
export type AuthorizationDecision =
  | {
      isAuthorized: true;
      resolverContext: SessionContext | DashboardContext;
      deniedFields: string[];
      ttlOverride: number;
    }
  | { isAuthorized: false; reason: string };

/** A dashboard token's record, as DashboardTokens keeps it. */
export interface DashboardTokenRecord {
  id: string;
  boardId: string;
  expiresAt: string;
  revokedAt?: string;
}

/** More boards than this for one person are cut from the request's list (DynamoDB's IN takes 100 values). */
export const MEMBERSHIPS_IN_CONTEXT = 100;

export interface AuthorizeDependencies extends TokenAudience {
  publicKey: (kid: string) => Promise<CryptoKey | undefined>;
  findUser: (id: string) => Promise<UserRecord | undefined>;
  /** A person's board memberships (BoardMembers, byUser). */
  findMemberships: (userId: string) => Promise<{ boardId: string; role: string }[]>;
  findDashboardToken: (id: string) => Promise<DashboardTokenRecord | undefined>;
  /** The API's cache TTL: no result may be cached past the token's own expiry. */
  resultTtlSeconds: number;
  /** The configured token lifetime: a token that claims a longer life is refused. */
  maxLifetimeSeconds?: number;
  now?: Date;
}

/**
 * Decides whether a token opens the API. A session token must verify (see `verifySessionToken`)
 * and its user must still exist and be ACTIVE; the role and the board memberships come from the
 * tables, not the token, so a change applies within the authorizer cache TTL. A dashboard token
 * goes to {@link authorizeDashboard}.
 */
export async function authorize(authorizationToken: string, deps: AuthorizeDependencies): Promise<AuthorizationDecision> {
  const token = authorizationToken.startsWith('Bearer ') ? authorizationToken.slice(7) : authorizationToken;
  if (claimsDashboard(token)) return authorizeDashboard(token, deps);
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

  const memberships = (await deps.findMemberships(user.id)).slice(0, MEMBERSHIPS_IN_CONTEXT);
  return {
    isAuthorized: true,
    resolverContext: {
      userId: user.id,
      email: user.email,
      role: user.role,
      tokenExpiresAt: session.expiresAt.toISOString(),
      boards: encodeMemberships(memberships),
    },
    deniedFields: [],
    ttlOverride: ttlFor(session.expiresAt, deps),
  };
}

/**
 * A dashboard token opens one board's figures and nothing else: it must verify (see
 * `verifyDashboardToken`), and its record must exist for the same board, unrevoked and unexpired.
 * Every other root field is denied (`deniedFields`), and the resolvers refuse a request with no
 * person in it all the same.
 */
export async function authorizeDashboard(token: string, deps: AuthorizeDependencies): Promise<AuthorizationDecision> {
  let verified;
  try {
    verified = await verifyDashboardToken(token, deps.publicKey, deps);
  } catch (error) {
    if (error instanceof TokenRejectedError) return { isAuthorized: false, reason: error.code };
    throw error;
  }
  const record = await deps.findDashboardToken(verified.tokenId);
  if (!record || record.boardId !== verified.boardId) return { isAuthorized: false, reason: 'DASHBOARD_TOKEN_UNKNOWN' };
  if (record.revokedAt) return { isAuthorized: false, reason: 'DASHBOARD_TOKEN_REVOKED' };
  if (Date.parse(record.expiresAt) <= (deps.now ?? new Date()).getTime()) return { isAuthorized: false, reason: 'TOKEN_EXPIRED' };
  return {
    isAuthorized: true,
    resolverContext: { dashboardTokenId: record.id, dashboardBoardId: record.boardId },
    deniedFields: DASHBOARD_DENIED_FIELDS,
    ttlOverride: ttlFor(verified.expiresAt, deps),
  };
}

/** The cache TTL of a decision: the API's, but never past the token's own expiry. */
function ttlFor(expiresAt: Date, deps: AuthorizeDependencies): number {
  const secondsLeft = Math.max(0, Math.floor((expiresAt.getTime() - (deps.now ?? new Date()).getTime()) / 1000));
  return Math.min(deps.resultTtlSeconds, secondsLeft);
}
