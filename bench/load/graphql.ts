/**
 * One GraphQL request and what it came to: data, or an error of a named kind. The HTTP side is
 * bench/api's keep-alive client (node:http, no fetch), one per user so each carries its token.
 */
import { createHttpClient, type HttpClient } from '../api/load.ts';

/** The outcome of one request. `errorKind` names the failure: an errorType, `HTTP 5xx`, `timeout`, `network ECONNRESET`, ... */
export interface Answer {
  ok: boolean;
  data?: any;
  errorKind?: string;
  /** The first error's message, kept for the report's examples. */
  errorMessage?: string;
}

/** Sends GraphQL requests with one set of headers (a token, or the API key). */
export interface GraphqlClient {
  call(query: string, variables?: Record<string, unknown>): Promise<Answer>;
  close(): void;
}

/**
 * A client for `graphqlUrl` with at most `sockets` connections. A request unanswered after
 * `timeoutMs` resolves as a `timeout` error (the socket is left to finish on its own).
 */
export function graphqlClient(graphqlUrl: string, headers: Record<string, string>, sockets: number, timeoutMs: number): GraphqlClient {
  const http: HttpClient = createHttpClient(graphqlUrl, sockets, headers);
  const path = new URL(graphqlUrl).pathname;
  return {
    async call(query, variables = {}) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<Answer>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, errorKind: 'timeout', errorMessage: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      const request = http.send('POST', path, Buffer.from(JSON.stringify({ query, variables }))).then(parse, (error: NodeJS.ErrnoException) => ({
        ok: false,
        errorKind: `network ${error.code ?? error.name}`,
        errorMessage: error.message,
      }));
      try {
        return await Promise.race([request, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => http.close(),
  };
}

function parse(answer: { status: number; text: string }): Answer {
  let body: { data?: any; errors?: { errorType?: string; message?: string }[] };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return { ok: false, errorKind: `HTTP ${answer.status} (not JSON)`, errorMessage: answer.text.slice(0, 200) };
  }
  const first = body.errors?.[0];
  if (answer.status !== 200) return { ok: false, errorKind: `HTTP ${answer.status}${first?.errorType ? ` ${first.errorType}` : ''}`, errorMessage: first?.message };
  if (first) return { ok: false, data: body.data, errorKind: first.errorType ?? 'GraphQLError', errorMessage: first.message };
  return { ok: true, data: body.data };
}
