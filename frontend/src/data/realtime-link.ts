/**
 * Subscriptions over AppSync's real-time protocol with aws-appsync-subscription-link, loaded on
 * the first subscription so the sign-in screens do not carry it. The token is read per
 * subscription, so a renewed session applies to the next one.
 */
import { ApolloLink, Observable } from '@apollo/client';
import type { HttpLink } from '@apollo/client/link/http';
import { provideBase64Buffer } from './base64-buffer.ts';

export interface RealtimeLinkOptions {
  graphqlUrl: string;
  region: string;
  token: () => string;
  /** Plain HTTP for everything that is not a subscription (the link needs one to fall back on). */
  httpLink: HttpLink;
}

/**
 * Operation context of a subscription: `onReady` runs when AppSync acknowledged the start
 * (`start_ack`), the moment from which no event is missed. (Apollo Client drops the link's own
 * "CONNECTED" message because it carries no data, so it is turned into this callback here.)
 */
export interface SubscriptionContext {
  onReady?: () => void;
}

/** An ApolloLink for subscription operations only. */
export function createRealtimeLink(options: RealtimeLinkOptions): ApolloLink {
  let loading: Promise<ApolloLink> | undefined;
  const load = async () => {
    provideBase64Buffer();
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
        const { onReady } = operation.getContext() as SubscriptionContext;
        // Ask the link for its control messages; the start acknowledgement becomes `onReady`.
        operation.setContext({ controlMessages: { '@@controlEvents': true } });
        (loading ??= load()).then(
          (link) => {
            if (closed) return;
            inner = link.request(operation, forward).subscribe({
              next(result) {
                const control = (result.extensions as { controlMsgType?: string } | undefined)?.controlMsgType;
                if (control === undefined) observer.next(result);
                else if (control === 'CONNECTED') onReady?.();
              },
              error: (error: unknown) => observer.error(error),
              complete: () => observer.complete(),
            });
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
