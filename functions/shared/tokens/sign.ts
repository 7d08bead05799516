import { randomUUID } from 'node:crypto';
import { SignJWT, base64url, type CryptoKey } from 'jose';
import { TOKEN_ALGORITHM, type SessionClaims, type TokenAudience } from './claims.ts';

/**
 * A key that signs outside this process (KMS): given the JWS signing input, it returns the
 * raw ES256 signature (R || S, 64 bytes). The private key never reaches this code.
 */
export interface RemoteSigner {
  kid: string;
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

/**
 * Thrown by a {@link RemoteSigner} whose key reference (a KMS alias) named another key when it
 * signed than the one in the token's header: the token would not verify. It carries a signer
 * for the key that signed, which the token is minted again with (see `mintSessionToken`).
 */
export class SigningKeyMovedError extends Error {
  override readonly name = 'SigningKeyMovedError';
  constructor(readonly signer: RemoteSigner) {
    super(`the signing key is now ${signer.kid}`);
  }
}

/** A private key in this process (the local runtime's key folder). */
export interface LocalSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

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
  key: LocalSigningKey | RemoteSigner,
  options: TokenAudience & { lifetimeSeconds: number; now?: Date },
): Promise<MintedToken> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = issuedAt + options.lifetimeSeconds;
  const payload = {
    iss: options.issuer,
    aud: options.audience,
    sub: claims.sub,
    email: claims.email,
    role: claims.role,
    ...(claims.generation ? { gen: claims.generation } : {}),
    iat: issuedAt,
    nbf: issuedAt,
    exp: expiresAt,
    jti: randomUUID(),
  };
  return { token: await signToken(payload, key), expiresAt: new Date(expiresAt * 1000) };
}

/**
 * Signs a JWT payload as a compact ES256 JWS with the key's `kid` in the header: with jose for a
 * key in this process, by hand (RFC 7515 section 7.1) for a remote signer, since jose cannot hand
 * its signing input to KMS. Session and dashboard tokens are both signed here.
 */
export async function signToken(payload: Record<string, unknown>, key: LocalSigningKey | RemoteSigner): Promise<string> {
  const header = { alg: TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' };
  if ('privateKey' in key) {
    return new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
  }
  // The compact JWS by hand (RFC 7515 section 7.1): jose cannot hand its signing input to KMS.
  const signWith = async (signer: RemoteSigner) => {
    const signingInput = `${base64url.encode(JSON.stringify({ ...header, kid: signer.kid }))}.${base64url.encode(JSON.stringify(payload))}`;
    const signature = await signer.sign(new TextEncoder().encode(signingInput));
    return `${signingInput}.${base64url.encode(signature)}`;
  };
  try {
    return await signWith(key);
  } catch (error) {
    // The alias moved (a rotation) since the signer last looked: once more, with the key it names now.
    if (error instanceof SigningKeyMovedError) return signWith(error.signer);
    throw error;
  }
}
