/**
 * The signed-in person: their session token and what it says. One small store that React and the
 * Apollo links read, so a renewed token applies to the next request without a reload. The token
 * lives in sessionStorage: it survives a reload of the tab, not the tab itself.
 */
import { decodeJwt } from 'jose';

export type Role = 'ADMIN' | 'MEMBER';

/** What the app knows of the person from their token. */
export interface Session {
  token: string;
  userId: string;
  email: string;
  role: Role;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const STORAGE_KEY = 'securetask.session';

type Listener = (session: Session | null) => void;

/** Reads a session token's claims (the API verifies the signature; the app only needs the facts). */
export function sessionFromToken(token: string): Session {
  const claims = decodeJwt(token);
  const role = claims.role === 'ADMIN' ? 'ADMIN' : 'MEMBER';
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') throw new Error('The session token is malformed.');
  return { token, userId: claims.sub, email: String(claims.email ?? ''), role, expiresAt: claims.exp * 1000 };
}

/** The session store: `current()`, `signIn(token)`, `signOut()`, `subscribe(listener)`. */
export function createSessionStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = globalThis.sessionStorage) {
  const listeners = new Set<Listener>();
  let session: Session | null = restore();

  function restore(): Session | null {
    const token = storage?.getItem(STORAGE_KEY);
    if (!token) return null;
    try {
      const restored = sessionFromToken(token);
      return restored.expiresAt > Date.now() ? restored : null;
    } catch {
      return null;
    }
  }

  function set(next: Session | null) {
    session = next;
    if (next) storage?.setItem(STORAGE_KEY, next.token);
    else storage?.removeItem(STORAGE_KEY);
    listeners.forEach((listener) => listener(next));
  }

  return {
    current: () => session,
    /** Starts (or renews) the session with a token from a verification or face sign-in. */
    signIn: (token: string) => set(sessionFromToken(token)),
    signOut: () => set(null),
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
