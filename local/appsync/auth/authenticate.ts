import type { IncomingRequest } from '../request.ts';
import type { AuthTypeName } from '../runtime/sandbox.ts';
import { apiKeyIsValid, type ApiKey } from './api-keys.ts';
import { verifySigV4, type LocalCredentials } from './iam.ts';
import type { AuthorizerEvent, LambdaAuthorizer } from './lambda-authorizer.ts';

/** The auth modes the local AppSync serves, by AppSync's names. */
export type AuthModeType = 'AWS_LAMBDA' | 'API_KEY' | 'AWS_IAM';

/** Who is calling, once their credentials have been checked. */
export interface Caller {
  mode: AuthModeType;
  /** `ctx.identity`: `{ resolverContext }` for Lambda, the IAM identity, or null for an API key. */
  identity: unknown;
  /** Fields the Lambda authorizer denied (`Type.field`); they resolve to null. */
  deniedFields: ReadonlySet<string>;
  authType: AuthTypeName;
  /** For an IAM principal whose policy names fields: whether it may call a top-level field. */
  mayCall?: (typeName: string, fieldName: string) => boolean;
}

/** A request as the auth pipeline sees it: as it came, with its GraphQL parts read. */
export interface AuthRequest extends IncomingRequest {
  graphql: { query: string; operationName?: string; variables?: Record<string, unknown> };
  requestId: string;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string };

/** Decides who a request comes from, by the API's auth modes. */
export type Authenticator = (request: AuthRequest) => Promise<Authentication>;

export interface AuthenticatorOptions {
  modes: readonly AuthModeType[];
  lambda?: LambdaAuthorizer;
  apiKeys: () => readonly ApiKey[];
  iamCredentials: (accessKeyId: string) => LocalCredentials | undefined;
  region: string;
  apiId: string;
  accountId: string;
}

const NO_DENIED_FIELDS: ReadonlySet<string> = new Set();

/**
 * The one auth pipeline for HTTP and real-time requests. The mode is chosen from the headers
 * as AppSync does: a SigV4 `Authorization` is IAM, an `x-api-key` is an API key, any other
 * `Authorization` goes to the Lambda authorizer.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const has = (mode: AuthModeType) => options.modes.includes(mode);

  return async function authenticate(request: AuthRequest): Promise<Authentication> {
    const authorization = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];

    if (authorization?.startsWith('AWS4-HMAC-SHA256') && has('AWS_IAM')) {
      const verified = await verifySigV4(request, options.iamCredentials, { region: options.region });
      if (!verified.ok) return { ok: false, message: verified.reason };
      const accessKeyId = /Credential=([^/,\s]+)\//.exec(authorization)?.[1] ?? '';
      return {
        ok: true,
        caller: {
          mode: 'AWS_IAM',
          identity: { ...verified.identity, sourceIp: [request.sourceIp] },
          deniedFields: NO_DENIED_FIELDS,
          authType: 'IAM Authorization',
          mayCall: options.iamCredentials(accessKeyId)?.mayCall,
        },
      };
    }
    if (apiKey !== undefined && has('API_KEY')) {
      if (!apiKeyIsValid(options.apiKeys(), apiKey)) return { ok: false, message: 'You are not authorized to make this call.' };
      return { ok: true, caller: { mode: 'API_KEY', identity: null, deniedFields: NO_DENIED_FIELDS, authType: 'API Key Authorization' } };
    }
    if (authorization !== undefined && options.lambda) {
      const context: AuthorizerEvent['requestContext'] = {
        apiId: options.apiId,
        accountId: options.accountId,
        requestId: request.requestId,
        queryString: request.graphql.query,
        operationName: request.graphql.operationName,
        variables: request.graphql.variables ?? {},
      };
      const headers = { ...request.headers };
      delete headers.authorization;
      const result = await options.lambda.authorize(authorization, context, headers);
      if (!result.ok) return { ok: false, message: 'You are not authorized to make this call.' };
      return {
        ok: true,
        caller: {
          mode: 'AWS_LAMBDA',
          identity: { resolverContext: result.resolverContext },
          deniedFields: result.deniedFields,
          authType: 'Lambda Authorization',
        },
      };
    }
    return { ok: false, message: 'Valid authorization header not provided.' };
  };
}
