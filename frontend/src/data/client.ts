/**
 * The app's Apollo Client: queries and mutations over HTTP with the session token in
 * `Authorization` (or the API key for the onboarding calls, which people make before they have
 * a token), subscriptions over AppSync's real-time protocol, and one cache for every screen.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { getMainDefinition } from '@apollo/client/utilities';
import type { WebConfig } from '../app/config.ts';
import type { SessionStore } from '../session/session.ts';
import { apiError, isSessionRefused } from './errors.ts';
import { createRealtimeLink } from './realtime-link.ts';

/** Operation context: `{ auth: 'apiKey' }` sends the API key instead of the session token. */
export interface OperationAuth {
  auth?: 'apiKey' | 'session';
}

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      // One set of figures per board.
      BoardStats: { keyFields: ['boardId'] },
      // Verification sessions change state under the same id; presigned URLs are per answer.
      Verification: { keyFields: ['id'] },
      VerificationForReview: { keyFields: ['id'] },
      TaskHistoryEntry: { keyFields: ['taskId', 'version'] },
      AuditEntry: { keyFields: ['id'] },
    },
  });
}

export function createApolloClient(config: WebConfig, session: SessionStore): ApolloClient {
  const httpLink = new HttpLink({ uri: config.graphqlUrl });

  const authLink = new ApolloLink((operation, forward) => {
    const { auth } = operation.getContext() as OperationAuth;
    const token = session.current()?.token;
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...headers, ...(auth === 'apiKey' || !token ? { 'x-api-key': config.apiKey } : { Authorization: token }) },
    }));
    return forward(operation);
  });

  // A refused token (expired, revoked by signOut elsewhere, user disabled) ends the session here too.
  const sessionLink = new ErrorLink(({ error, operation }) => {
    const { auth } = operation.getContext() as OperationAuth;
    if (auth !== 'apiKey' && session.current() && isSessionRefused(apiError(error))) session.signOut();
  });

  const realtimeLink = createRealtimeLink({
    graphqlUrl: config.graphqlUrl,
    region: config.region,
    token: () => session.current()?.token ?? '',
    httpLink,
  });

  return new ApolloClient({
    link: ApolloLink.from([sessionLink, ApolloLink.split(isSubscription, realtimeLink, ApolloLink.from([authLink, httpLink]))]),
    cache: createCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}

/**
 * A client for a wall screen (the kiosk): every request and subscription carries one dashboard
 * token, which opens its board's figures and nothing else. No session, no API key.
 */
export function createDashboardClient(config: WebConfig, token: string): ApolloClient {
  const httpLink = new HttpLink({ uri: config.graphqlUrl, headers: { Authorization: token } });
  const realtimeLink = createRealtimeLink({ graphqlUrl: config.graphqlUrl, region: config.region, token: () => token, httpLink });
  return new ApolloClient({
    link: ApolloLink.split(isSubscription, realtimeLink, httpLink),
    cache: createCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}

function isSubscription({ query }: ApolloLink.Operation): boolean {
  const definition = getMainDefinition(query);
  return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
}
