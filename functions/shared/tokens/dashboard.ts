import type { CryptoKey, JWTPayload } from 'jose';
import type { TokenAudience } from './claims.ts';
import { signToken, type LocalSigningKey, type RemoteSigner } from './sign.ts';
import { TokenRejectedError, verifiedPayload } from './verify.ts';

/** The `typ` claim that makes a token a dashboard token: session tokens have none and refuse one. */
export const DASHBOARD_TOKEN_TYPE = 'dashboard';
/** The longest a dashboard token may live: a year. */
export const DASHBOARD_TOKEN_MAX_DAYS = 365;

/** What a verified dashboard token says: which token (its record holds revocation) and which board. */
export interface VerifiedDashboardToken {
  tokenId: string;
  boardId: string;
  expiresAt: Date;
}

/**
 * Mints a dashboard token: signed by the same key as session tokens, with `typ: dashboard`, the
 * token's id as `sub` and `jti` (its DashboardTokens record, which revocation marks), and the
 * board as `board`. It carries no person: it can only read that board's figures.
 */
export async function mintDashboardToken(
  claims: { tokenId: string; boardId: string },
  key: LocalSigningKey | RemoteSigner,
  options: TokenAudience & { expiresAt: Date; now?: Date },
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return signToken(
    {
      iss: options.issuer,
      aud: options.audience,
      sub: claims.tokenId,
      typ: DASHBOARD_TOKEN_TYPE,
      board: claims.boardId,
      iat: issuedAt,
      nbf: issuedAt,
      exp: Math.floor(options.expiresAt.getTime() / 1000),
      jti: claims.tokenId,
    },
    key,
  );
}

/**
 * Verifies a dashboard token: every check of a session token's signature and times, then
 * `typ: dashboard`, a board, and a life of at most a year (and a day of clock slack). Throws
 * `TokenRejectedError`.
 */
export async function verifyDashboardToken(
  token: string,
  publicKey: (kid: string) => CryptoKey | undefined | Promise<CryptoKey | undefined>,
  options: TokenAudience & { now?: Date },
): Promise<VerifiedDashboardToken> {
  const payload = await verifiedPayload(token, publicKey, options);
  const { sub, typ, board, exp, iat, jti } = payload as JWTPayload & { typ?: unknown; board?: unknown };
  if (typ !== DASHBOARD_TOKEN_TYPE || typeof board !== 'string' || !board || !sub || jti !== sub) {
    throw new TokenRejectedError('TOKEN_CLAIMS', 'not a dashboard token');
  }
  if (exp! - iat! > (DASHBOARD_TOKEN_MAX_DAYS + 1) * 86400) {
    throw new TokenRejectedError('TOKEN_CLAIMS', 'token lives longer than dashboard tokens may');
  }
  return { tokenId: sub, boardId: board, expiresAt: new Date(exp! * 1000) };
}

/** Whether a token (already known to be a signed JWS) claims to be a dashboard token; decides which verifier runs. */
export function claimsDashboard(token: string): boolean {
  const payload = token.split('.')[1] ?? '';
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { typ?: unknown }).typ === DASHBOARD_TOKEN_TYPE;
  } catch {
    return false;
  }
}
