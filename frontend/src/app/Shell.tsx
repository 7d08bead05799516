/**
 * The frame around every screen: a skip link, the header (navigation, live connection, the
 * session timer, notifications, the person and sign out) and the main region.
 */
import { useApolloClient } from '@apollo/client/react';
import { useState, type ReactNode } from 'react';
import { Link, navigate, useLocation } from './router.tsx';
import { useConfig } from './config-context.ts';
import { SignOutDocument } from '../generated/graphql.ts';
import { useConnectionState, type ConnectionState } from '../data/connection.ts';
import { NotificationsMenu } from '../notifications/NotificationsMenu.tsx';
import { SessionTimer } from '../session/SessionTimer.tsx';
import { useSession, useSessionStore } from '../session/useSession.ts';
import { toast } from '../ui/toasts.tsx';

const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  'catching-up': 'Catching up…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Not live',
};

export function Shell({ children }: { children: ReactNode }) {
  const session = useSession();
  const { path } = useLocation();
  const config = useConfig();
  // A wall screen (the dashboard's wall mode, or a kiosk) has no header to press.
  const wall = path === '/kiosk' || (path === '/dashboard' && new URLSearchParams(location.search).has('wall'));
  return (
    <div className={`shell${wall ? ' shell-wall' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {!wall && (
        <header className={`shell-header${session ? ' shell-header-signed-in' : ''}`}>
          <Link to={session ? '/board' : '/'} className="brand" aria-label="SecureTask home">
            <span className="brand-mark" aria-hidden="true">
              ✓
            </span>
            <span className="brand-name">SecureTask</span>
            {config.stage === 'local' && <span className="badge">local</span>}
          </Link>
          {session && (
            <nav aria-label="Main" className="shell-nav">
              <NavLink to="/board" path={path}>
                Board
              </NavLink>
              <NavLink to="/dashboard" path={path}>
                Dashboard
              </NavLink>
              <NavLink to="/settings" path={path}>
                Board settings
              </NavLink>
              {session.role === 'ADMIN' && (
                <NavLink to="/admin/reviews" section="/admin" path={path}>
                  Admin
                </NavLink>
              )}
            </nav>
          )}
          {session && (
            <div className="shell-tools">
              <ConnectionBadge />
              <SessionTimer />
              <NotificationsMenu />
              <AccountMenu />
            </div>
          )}
        </header>
      )}
      <main id="main" className="shell-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/**
 * A link of the main navigation: current (aria-current="page") anywhere in its section, so
 * "Board" stays marked with a task open and "Admin" on every admin screen.
 */
function NavLink({ to, section = to, path, children }: { to: string; section?: string; path: string; children: ReactNode }) {
  const current = path === section || path.startsWith(`${section}/`);
  return (
    <Link to={to} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** Whether others' changes arrive live: a dot and a word (only the dot on a phone; the word stays for screen readers). */
function ConnectionBadge() {
  const state = useConnectionState();
  if (state === 'stopped') return null;
  return (
    <span className={`connection connection-${state}`} role="status" title="Changes by others appear here as they happen">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{CONNECTION_LABELS[state]}</span>
    </span>
  );
}

function AccountMenu() {
  const session = useSession()!;
  const store = useSessionStore();
  const client = useApolloClient();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    try {
      await client.mutate({ mutation: SignOutDocument });
    } catch {
      // The token may already be refused; signing out here is what matters.
    }
    store.signOut();
    await client.clearStore();
    navigate('/', { replace: true });
    toast('You are signed out on every device.', 'success');
  };
  return (
    <div className="account">
      <span className="account-email" title={session.email}>
        {session.email}
        {session.role === 'ADMIN' && <span className="badge">admin</span>}
      </span>
      <button type="button" className="button button-quiet" onClick={signOut} disabled={busy}>
        Sign out
      </button>
    </div>
  );
}
