/** The roles a SecureTask user can hold. */
export type Role = 'ADMIN' | 'MEMBER';

/** What a session token says about its holder (besides the registered claims). */
export interface SessionClaims {
  /** The user's id (`sub`). */
  sub: string;
  email: string;
  role: Role;
  /**
   * The user's token generation when the token was minted (`gen`). Signing out raises the
   * user's generation, which revokes every token minted before (see the authorizer).
   */
  generation?: number;
}

/** Issuer and audience every token is minted for and checked against. */
export interface TokenAudience {
  issuer: string;
  audience: string;
}

/** The one signing algorithm SecureTask uses; verification accepts nothing else. */
export const TOKEN_ALGORITHM = 'ES256';
