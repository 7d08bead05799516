import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Session, SessionStore } from './session.ts';

/** The session store of the running app (tests provide their own). */
export const SessionContext = createContext<SessionStore | null>(null);

/** The session store; throws outside the app's provider, which is a programming error. */
export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore needs a SessionContext provider');
  return store;
}

/** The signed-in person, or null; re-renders when they sign in, renew or sign out. */
export function useSession(): Session | null {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.current);
}
