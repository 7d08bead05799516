/**
 * Subscriptions over AppSync's real-time protocol with aws-appsync-subscription-link, loaded on
 * the first subscription so the sign-in screens do not carry it. The token is read per
 * subscription, so a renewed session applies to the next one.
 */
import { ApolloLink, Observable } from '@apollo/client';
import type { HttpLink } from '@apollo/client/link/http';

export interface RealtimeLinkOptions {
  graphqlUrl: string;
  region: string;
  token: () => string;
  /** Plain HTTP for everything that is not a subscription (the link needs one to fall back on). */
  httpLink: HttpLink;
}

/** An ApolloLink for subscription operations only. */
export function createRealtimeLink(options: RealtimeLinkOptions): ApolloLink {
  let loading: Promise<ApolloLink> | undefined;
  const load = async () => {
    const { createSubscriptionHandshakeLink } = await import('aws-appsync-subscription-link');
    // The link's declarations name Apollo's CommonJS types; at run time it is this same Apollo.
    type TheirLink = Parameters<typeof createSubscriptionHandshakeLink>[1];
    const auth = { type: 'AWS_LAMBDA' as const, token: options.token };
    return createSubscriptionHandshakeLink({ url: options.graphqlUrl, region: options.region, auth }, options.httpLink as unknown as TheirLink) as unknown as ApolloLink;
  };
  return new ApolloLink(
    (operation, forward) =>
      new Observable((observer) => {
        let closed = false;
        let inner: { unsubscribe(): void } | undefined;
        (loading ??= load()).then(
          (link) => {
            if (!closed) inner = link.request(operation, forward).subscribe(observer);
          },
          (error: unknown) => observer.error(error),
        );
        return () => {
          closed = true;
          inner?.unsubscribe();
        };
      }),
  );
}
