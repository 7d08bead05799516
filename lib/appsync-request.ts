import { HttpRequest } from '@smithy/protocol-http';

/**
 * `POST url` with `body`, in the shape SigV4 signs for AppSync (`service` appsync): the URL's
 * parts, and `host` among `headers`, as AWS clients sign AppSync requests. The functions' publish
 * calls, the API console, the real-time benchmark and the tests all sign this one shape.
 */
export function appSyncPost(url: string, body: string, headers: Record<string, string>): HttpRequest {
  const endpoint = new URL(url);
  return new HttpRequest({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    path: endpoint.pathname,
    headers: { ...headers, host: endpoint.host },
    body,
  });
}
