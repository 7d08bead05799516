/** What an AWS_LAMBDA authorizer returns, as AppSync reads it. */
export interface AuthorizerResponse {
  isAuthorized: boolean;
  resolverContext?: Record<string, unknown>;
  deniedFields?: string[];
  ttlOverride?: number;
}

/** The event AppSync sends the authorizer. */
export interface AuthorizerEvent {
  authorizationToken: string;
  requestContext: {
    apiId: string;
    accountId: string;
    requestId: string;
    queryString: string;
    operationName?: string;
    variables: Record<string, unknown>;
  };
  requestHeaders: Record<string, string>;
}

export type LambdaAuthorization =
  | { ok: true; resolverContext: Record<string, unknown>; deniedFields: Set<string> }
  | { ok: false; reason: string };

/** AppSync's limit on the token the authorizer sees. */
const MAX_TOKEN_LENGTH = 2048;
/** How many cached results the runtime keeps; the oldest go first. */
const MAX_CACHE_ENTRIES = 10_000;

/**
 * AppSync's side of an AWS_LAMBDA authorizer: checks `identityValidationExpression` before the
 * function runs, invokes it, and caches each result per token for the configured TTL or the
 * function's `ttlOverride` (0 turns caching off).
 */
/** AppSync's side of a Lambda authorizer: a token in, the function's verdict out (cached). */
export interface LambdaAuthorizer {
  authorize(token: string, requestContext: AuthorizerEvent['requestContext'], requestHeaders: Record<string, string>): Promise<LambdaAuthorization>;
  /** Forgets every cached result (tests, key rotation). */
  clear(): void;
}

export function createLambdaAuthorizer(options: {
  invoke: (event: AuthorizerEvent) => Promise<unknown>;
  resultTtlSeconds: number;
  identityValidationExpression?: string;
  now?: () => number;
}): LambdaAuthorizer {
  const now = options.now ?? Date.now;
  const pattern = options.identityValidationExpression ? new RegExp(options.identityValidationExpression) : undefined;
  const cache = new Map<string, { result: LambdaAuthorization; expiresAt: number }>();

  return {
    async authorize(
      token: string,
      requestContext: AuthorizerEvent['requestContext'],
      requestHeaders: Record<string, string>,
    ): Promise<LambdaAuthorization> {
      if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'authorization token is too long' };
      if (pattern && !pattern.test(token)) return { ok: false, reason: 'token fails identityValidationExpression' };

      const cached = cache.get(token);
      if (cached && cached.expiresAt > now()) return cached.result;
      if (cached) cache.delete(token);

      let response: AuthorizerResponse;
      try {
        response = parseResponse(await options.invoke({ authorizationToken: token, requestContext, requestHeaders }));
      } catch (error) {
        // An authorizer that fails denies; it is not cached, so a transient failure can recover.
        return { ok: false, reason: `authorizer failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      const result: LambdaAuthorization = response.isAuthorized
        ? { ok: true, resolverContext: response.resolverContext ?? {}, deniedFields: normaliseDeniedFields(response.deniedFields) }
        : { ok: false, reason: 'authorizer denied the token' };
      const ttl = response.ttlOverride ?? options.resultTtlSeconds;
      if (ttl > 0) {
        if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
        cache.set(token, { result, expiresAt: now() + ttl * 1000 });
      }
      return result;
    },
    /** Forgets every cached result (tests, key rotation). */
    clear(): void {
      cache.clear();
    },
  };
}

function parseResponse(value: unknown): AuthorizerResponse {
  if (!value || typeof value !== 'object' || typeof (value as AuthorizerResponse).isAuthorized !== 'boolean') {
    throw new Error('authorizer response has no boolean isAuthorized');
  }
  const response = value as AuthorizerResponse;
  if (response.ttlOverride !== undefined && (!Number.isInteger(response.ttlOverride) || response.ttlOverride < 0 || response.ttlOverride > 3600)) {
    throw new Error('ttlOverride must be a whole number of seconds from 0 to 3600');
  }
  return response;
}

/** `Type.field` or a field ARN (`arn:aws:appsync:...:apis/<id>/types/Type/fields/field`) -> `Type.field`. */
function normaliseDeniedFields(fields: string[] | undefined): Set<string> {
  return new Set(
    (fields ?? []).map((field) => {
      const arn = /\/types\/([^/]+)\/fields\/([^/]+)$/.exec(field);
      return arn ? `${arn[1]}.${arn[2]}` : field;
    }),
  );
}
