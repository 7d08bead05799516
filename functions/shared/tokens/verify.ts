import { errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { TOKEN_ALGORITHM, type Role, type TokenAudience } from './claims.ts';
import { SecureTaskError } from '../../../lib/errors.ts';

/** Why a token was refused; stable codes for logs and tests. */
export type TokenRejection =
  | 'TOKEN_MALFORMED'
  | 'TOKEN_ALGORITHM'
  | 'TOKEN_UNKNOWN_KEY'
  | 'TOKEN_SIGNATURE'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_CLAIMS';

/** A token that failed verification, with the reason as a stable code. */
export class TokenRejectedError extends SecureTaskError {
  constructor(
    readonly code: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** The verified contents of a session token. */
export interface VerifiedSession {
  userId: string;
  email: string;
  role: Role;
  expiresAt: Date;
  jti: string;
  issuedAt: Date;
  /** The user's token generation at minting (0 when the token has none). */
  generation: number;
}

/**
 * How far a token's `iat` may be ahead of this clock: signer and verifier are different machines
 * (Lambda clocks are NTP-synced to well under this).
 */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies a session token: ES256 only (pinned, so `alg: none` and HMAC-with-the-public-key
 * tricks fail), a known `kid`, signature, `iss`, `aud`, `exp` and `nbf`, an `iat` that is not in
 * the future, a life (`exp - iat`) no longer than `maxLifetimeSeconds` when given, and the claims
 * SecureTask needs. A token of another kind (a dashboard token, `typ` set) is refused. Throws
 * `TokenRejectedError`.
 */
export async function verifySessionToken(
  token: string,
  publicKey: (kid: string) => CryptoKey | undefined | Promise<CryptoKey | undefined>,
  options: TokenAudience & { now?: Date; maxLifetimeSeconds?: number },
): Promise<VerifiedSession> {
  const payload = await verifiedPayload(token, publicKey, options);
  const { sub, email, role, exp, iat, jti, gen = 0, typ } = payload as JWTPayload & { email?: unknown; role?: unknown; gen?: unknown; typ?: unknown };
  if (typ !== undefined) throw new TokenRejectedError('TOKEN_CLAIMS', 'not a session token');
  if (typeof email !== 'string' || (role !== 'ADMIN' && role !== 'MEMBER') || !sub || !jti || !Number.isInteger(gen)) {
    throw new TokenRejectedError('TOKEN_CLAIMS', 'token lacks the SecureTask claims');
  }
  if (options.maxLifetimeSeconds !== undefined && exp! - iat! > options.maxLifetimeSeconds) {
    throw new TokenRejectedError('TOKEN_CLAIMS', 'token lives longer than session tokens may');
  }
  return { userId: sub, email, role, expiresAt: new Date(exp! * 1000), issuedAt: new Date(iat! * 1000), jti, generation: gen as number };
}

/**
 * The payload of a token signed by one of SecureTask's keys, with every check common to all its
 * kinds of token: the algorithm pinned to ES256, a known `kid`, the signature, `iss`, `aud`,
 * `exp`, `nbf`, the registered claims present, and an `iat` not in the future.
 */
export async function verifiedPayload(
  token: string,
  publicKey: (kid: string) => CryptoKey | undefined | Promise<CryptoKey | undefined>,
  options: TokenAudience & { now?: Date },
): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header) => {
        if (header.alg !== TOKEN_ALGORITHM) throw new TokenRejectedError('TOKEN_ALGORITHM', `algorithm ${header.alg} is not accepted`);
        const key = typeof header.kid === 'string' ? await publicKey(header.kid) : undefined;
        if (!key) throw new TokenRejectedError('TOKEN_UNKNOWN_KEY', `no signing key with kid ${String(header.kid)}`);
        return key;
      },
      {
        algorithms: [TOKEN_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        currentDate: options.now,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      },
    ));
  } catch (error) {
    throw asRejection(error);
  }
  // jose checks iat only for being a number. A token "issued" in the future came from a signer
  // that is wrong or not ours.
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (payload.iat! > nowSeconds + CLOCK_SKEW_SECONDS) throw new TokenRejectedError('TOKEN_NOT_YET_VALID', 'token was issued in the future');
  return payload;
}

function asRejection(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('TOKEN_EXPIRED', 'token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const code = error.claim === 'nbf' ? 'TOKEN_NOT_YET_VALID' : 'TOKEN_CLAIMS';
    return new TokenRejectedError(code, `claim ${error.claim} is not acceptable`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new TokenRejectedError('TOKEN_ALGORITHM', 'algorithm is not accepted');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRejectedError('TOKEN_SIGNATURE', 'signature does not verify');
  return new TokenRejectedError('TOKEN_MALFORMED', 'token is not a well-formed JWS');
}
