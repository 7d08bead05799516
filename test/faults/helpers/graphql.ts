/** One GraphQL POST, as any HTTP client makes it; never throws on an error answer. */
export interface GraphQLAnswer {
  /** HTTP status; 0 when no answer came (connection refused or reset, timed out). */
  status: number;
  body?: { data?: any; errors?: { errorType?: string; message: string }[] };
  /** The transport failure, when there was no answer. */
  failure?: string;
  ms: number;
}

/** POSTs `query` to `url` with `headers`; a request that takes longer than `timeoutMs` is a failure, not a hang. */
export async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, timeoutMs = 20_000): Promise<GraphQLAnswer> {
  const started = Date.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: GraphQLAnswer['body'];
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
    }
    return { status: response.status, body, ms: Date.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, failure: `${(error as Error).name}${cause ? ` (${cause})` : ''}: ${(error as Error).message}`, ms: Date.now() - started };
  }
}

/** An acknowledged write: HTTP 200, data, no errors. Only those count as promised to the client. */
export function acknowledged(answer: GraphQLAnswer, field: string): any {
  if (answer.status !== 200 || answer.body?.errors?.length || !answer.body?.data?.[field]) return undefined;
  return answer.body.data[field];
}
