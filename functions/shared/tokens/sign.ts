import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey } from 'jose';
import { TOKEN_ALGORITHM, type SessionClaims, type TokenAudience } from './claims.ts';

/** A freshly minted session token and when it stops working. */
export interface MintedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Mints an ES256 session token: `iss`, `aud`, `sub`, `role`, `email`, `iat`, `nbf`, `exp`, a
 * unique `jti`, and the signing key's `kid` in the header.
 */
export async function mintSessionToken(
  claims: SessionClaims,
  key: { kid: string; privateKey: CryptoKey },
  options: TokenAudience & { lifetimeSeconds: number; now?: Date },
): Promise<MintedToken> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + options.lifetimeSeconds;
  const token = await new SignJWT({ email: claims.email, role: claims.role })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(claims.sub)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}
