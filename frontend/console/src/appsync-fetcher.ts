/**
 * GraphiQL's fetcher for an AppSync API: queries and mutations over HTTP with
 * @graphiql/toolkit's fetcher (the response shown as the API sent it, errors and all), each
 * request authorized for the auth choice of the moment; subscriptions over AppSync's real-time
 * protocol with aws-appsync-subscription-link, which is not graphql-ws, so the toolkit's own
 * WebSocket clients cannot speak it.
 */
import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { createGraphiQLFetcher, type Fetcher, type FetcherOpts, type FetcherParams } from '@graphiql/toolkit';
import { CONTROL_EVENTS_KEY, createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link';
import { Kind, OperationTypeNode, parse, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { Observable } from 'rxjs';
import { provideBase64Buffer } from '../../src/data/base64-buffer.ts';
import { authHeaders, realtimeAuth, type ConsoleAuth } from './auth.ts';

export interface AppSyncFetcherOptions {
  graphqlUrl: string;
  region: string;
  /** The auth choice, read per request: switching it applies to the next run. */
  auth: () => ConsoleAuth;
  /** A subscription was acknowledged (`start_ack`): events from now on reach it. */
  onSubscriptionReady?: () => void;
}

/** A fetcher for GraphiQL's `fetcher` prop. */
export function createAppSyncFetcher(options: AppSyncFetcherOptions): Fetcher {
  const http = createGraphiQLFetcher({
    url: options.graphqlUrl,
    // AppSync answers plain JSON: no multipart incremental delivery.
    enableIncrementalDelivery: false,
    fetch: async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      const headers = await authHeaders(options.auth(), options.graphqlUrl, body, Object.fromEntries(new Headers(init?.headers).entries()));
      return fetch(input, { ...init, headers });
    },
  });
  return (params: FetcherParams, opts?: FetcherOpts) => {
    const document = opts?.documentAST ?? parse(params.query);
    const operation = chosenOperation(document, params.operationName);
    if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return http(params, opts);
    // The link sends the document without an operation name: only the chosen operation goes.
    const alone = { ...document, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION) };
    return subscribe(options, alone, params.variables);
  };
}

function chosenOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length === 1 ? operations[0] : operations.find((d) => d.name?.value === operationName);
}

/** One subscription on its own real-time connection, its events as GraphiQL shows results. */
function subscribe(options: AppSyncFetcherOptions, document: DocumentNode, variables: Record<string, unknown> | undefined) {
  provideBase64Buffer();
  const link = createSubscriptionHandshakeLink({ url: options.graphqlUrl, region: options.region, auth: realtimeAuth(options.auth()) }) as unknown as ApolloLink;
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const request = { query: document, variables: variables ?? {}, context: { controlMessages: { [CONTROL_EVENTS_KEY]: true } }, extensions: {} };
  // The toolkit types results as graphql-js's ExecutionResult; what arrives is its JSON form, as
  // with the HTTP fetcher's answers.
  return new Observable<ExecutionResult>((observer) => {
    const events = ApolloLink.execute(link, request, { client }).subscribe({
      next(result) {
        const control = (result.extensions as { controlMsgType?: string } | undefined)?.controlMsgType;
        if (control === undefined) observer.next(result as ExecutionResult);
        else if (control === 'CONNECTED') options.onSubscriptionReady?.();
      },
      error: (error: unknown) => observer.error(error),
      complete: () => observer.complete(),
    });
    return () => {
      events.unsubscribe();
      client.stop();
    };
  });
}
