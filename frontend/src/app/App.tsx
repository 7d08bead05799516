/**
 * The app: providers, the shell, and the screen for the current path, with the access rules of
 * the route table (guests to the welcome and sign-in screens, members to the board, admins to
 * the admin screens); members' screens work on the board in use (boards/current-board.tsx).
 */
import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { Suspense, useEffect } from 'react';
import type { WebConfig } from './config.ts';
import { ConfigContext } from './config-context.ts';
import { navigate, useLocation } from './router.tsx';
import { findRoute, HOME } from './routes.ts';
import { Shell } from './Shell.tsx';
import { WithCurrentBoard } from '../boards/current-board.tsx';
import type { SessionStore } from '../session/session.ts';
import { SessionContext, useSession } from '../session/useSession.ts';
import { EmptyState, Spinner } from '../ui/feedback.tsx';
import { Toasts } from '../ui/toasts.tsx';

export interface AppProps {
  config: WebConfig;
  session: SessionStore;
  client: ApolloClient;
}

export function App({ config, session, client }: AppProps) {
  return (
    <ConfigContext.Provider value={config}>
      <SessionContext.Provider value={session}>
        <ApolloProvider client={client}>
          <Screen />
          <Toasts />
        </ApolloProvider>
      </SessionContext.Provider>
    </ConfigContext.Provider>
  );
}

function Screen() {
  const { path, search } = useLocation();
  const session = useSession();
  const found = findRoute(path);

  const redirect =
    !found ? undefined
    : found.route.access === 'guest' && session ? search.get('next') || HOME
    : (found.route.access === 'member' || found.route.access === 'admin') && !session ? `/sign-in?next=${encodeURIComponent(path)}`
    : undefined;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);
  useEffect(() => {
    document.title = found ? `${found.route.title} · SecureTask` : 'Not found · SecureTask';
  }, [found]);

  if (redirect) return null;
  const body =
    !found ? (
      <EmptyState title="There is nothing here">
        <p>
          The address <code>{path}</code> is not a SecureTask page. <a href="/">Go to the start</a>.
        </p>
      </EmptyState>
    ) : found.route.access === 'admin' && session?.role !== 'ADMIN' ? (
      <EmptyState title="Admins only">
        <p>This page is for admins. Ask an admin if you need something changed.</p>
      </EmptyState>
    ) : found.route.access === 'member' ? (
      <WithCurrentBoard>
        <found.route.component params={found.params!} />
      </WithCurrentBoard>
    ) : (
      <found.route.component params={found.params!} />
    );
  return (
    <Shell>
      <Suspense fallback={<Spinner />}>{body}</Suspense>
    </Shell>
  );
}
