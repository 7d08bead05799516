/**
 * The local AppSync's auth pipeline, attacked over HTTP on a fixture API (test/fixtures/auth/):
 * which auth mode may reach which field under AppSync's directive rules, every way a request is
 * refused with a 401 before any resolver runs, SigV4 forgeries, and the Lambda authorizer's
 * contract (validation expression, token length, result cache, resolverContext, deniedFields).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultConfig } from '../../api/config.ts';
import { apiKeyIsValid, newApiKey, type ApiKey } from '../../local/appsync/auth/api-keys.ts';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { startLocalStack, type LocalStack } from '../../local/stack/index.ts';
import { authFixtureApi } from '../fixtures/auth/api.ts';
import { DENIED_FIELD_ARN } from '../fixtures/auth/authorizer.ts';
import { projectRoot } from '../helpers/stack.ts';

type Mode = 'AWS_LAMBDA' | 'API_KEY' | 'AWS_IAM';
type Response = { status: number; body: any };

const REGION = 'us-east-1';
const NOT_AUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] };
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

let stack: LocalStack;
let dataDir: string;
let iam: LocalCredentials;
/** Written into the data folder before the stack starts: one expired, one valid for an hour more. */
const expiredKey: ApiKey = newApiKey(1, Date.now() - 2 * 86_400_000, 'expired yesterday');
const lastHourKey: ApiKey = newApiKey(1, Date.now() - 23 * 3_600_000, 'expires in an hour');

beforeAll(async () => {
  process.env.SECURETASK_LOG_LEVEL ??= 'silent';
  // The harness makes its data folder itself; this suite needs one that already holds keys.
  dataDir = await mkdtemp(path.join(tmpdir(), 'securetask-auth-'));
  await writeFile(path.join(dataDir, 'api-keys.json'), JSON.stringify([expiredKey, lastHourKey]), { mode: 0o600 });
  stack = await startLocalStack({
    projectRoot,
    api: authFixtureApi,
    config: { ...defaultConfig, stage: `t${randomUUID().slice(0, 8)}` },
    dataDir,
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
  });
  iam = JSON.parse(await readFile(path.join(dataDir, 'iam-credentials.json'), 'utf8')) as LocalCredentials;
});
afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const calls = () => globalThis.__fixtureAuthorizerCalls ?? 0;

async function post(body: string, headers: Record<string, string>): Promise<Response> {
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.json() };
}

const gql = (query: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
  post(JSON.stringify({ query, ...extra }), headers);

interface SignOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  date?: Date;
  applyChecksum?: boolean;
}

/** SigV4 headers for a POST of `body` to the stack, as an AWS SDK client makes them (host included). */
async function sigV4Headers(body: string, options: SignOptions = {}): Promise<Record<string, string>> {
  const url = new URL(stack.graphqlUrl);
  const signer = new SignatureV4({
    service: 'appsync',
    region: REGION,
    credentials: options.credentials ?? { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey },
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { 'content-type': 'application/json', host: url.host },
      body,
    }),
    { signingDate: options.date ?? new Date() },
  );
  const { host, ...headers } = signed.headers;
  // fetch sends this very host header itself (it may not be set by hand).
  expect(host).toBe(`127.0.0.1:${url.port}`);
  return headers;
}

/** Sends `query` authorized in `mode`: a fixture-authorizer token, the stack's API key, or a SigV4 signature. */
async function as(mode: Mode, query: string): Promise<Response> {
  const body = JSON.stringify({ query });
  if (mode === 'AWS_LAMBDA') return post(body, { authorization: 'allow-matrix' });
  if (mode === 'API_KEY') return post(body, { 'x-api-key': stack.apiKey });
  return post(body, await sigV4Headers(body));
}

/** The error AppSync puts in `errors` for a field the caller's mode may not reach. */
function unauthorizedField(query: string, fieldPath: string[], type: string) {
  const field = fieldPath.at(-1)!;
  expect(query.split(field).length, `"${field}" must appear once in the query`).toBe(2);
  return {
    path: fieldPath,
    data: null,
    errorType: 'Unauthorized',
    errorInfo: null,
    locations: [{ line: 1, column: query.indexOf(field) + 1, sourceName: null }],
    message: `Not Authorized to access ${field} on type ${type}`,
  };
}

describe('which auth mode reaches which field (AppSync directive rules)', () => {
  interface Row {
    mode: Mode;
    query: string;
    rule: string;
    /** The whole expected `data`. */
    data: unknown;
    /** Set when the field is refused: the denied path and the type the message names. */
    denied?: { path: string[]; type: string };
  }
  const NO_DIRECTIVE = 'no directive: default mode (AWS_LAMBDA) only';
  const FIELD_DIRECTIVE = 'a field directive replaces the default mode';
  const RETURN_TYPE = 'the returned type must also admit the mode';
  const TYPE_DIRECTIVE = 'a type directive replaces the default mode for its fields';
  const FIELD_OVERRIDES_TYPE = 'a field directive overrides its type directive';

  const rows: Row[] = [
    // Query.defaultOnly: no directive
    { mode: 'AWS_LAMBDA', query: '{ defaultOnly }', rule: NO_DIRECTIVE, data: { defaultOnly: 'defaultOnly' } },
    { mode: 'API_KEY', query: '{ defaultOnly }', rule: NO_DIRECTIVE, data: { defaultOnly: null }, denied: { path: ['defaultOnly'], type: 'Query' } },
    { mode: 'AWS_IAM', query: '{ defaultOnly }', rule: NO_DIRECTIVE, data: { defaultOnly: null }, denied: { path: ['defaultOnly'], type: 'Query' } },
    // Query.apiKeyOnly: @aws_api_key
    { mode: 'AWS_LAMBDA', query: '{ apiKeyOnly }', rule: `${FIELD_DIRECTIVE}, even for the default mode`, data: { apiKeyOnly: null }, denied: { path: ['apiKeyOnly'], type: 'Query' } },
    { mode: 'API_KEY', query: '{ apiKeyOnly }', rule: '@aws_api_key admits API_KEY', data: { apiKeyOnly: 'apiKeyOnly' } },
    { mode: 'AWS_IAM', query: '{ apiKeyOnly }', rule: '@aws_api_key alone does not admit AWS_IAM', data: { apiKeyOnly: null }, denied: { path: ['apiKeyOnly'], type: 'Query' } },
    // Query.iamOnly: @aws_iam
    { mode: 'AWS_LAMBDA', query: '{ iamOnly }', rule: `${FIELD_DIRECTIVE}, even for the default mode`, data: { iamOnly: null }, denied: { path: ['iamOnly'], type: 'Query' } },
    { mode: 'API_KEY', query: '{ iamOnly }', rule: '@aws_iam alone does not admit API_KEY', data: { iamOnly: null }, denied: { path: ['iamOnly'], type: 'Query' } },
    { mode: 'AWS_IAM', query: '{ iamOnly }', rule: '@aws_iam admits AWS_IAM', data: { iamOnly: 'iamOnly' } },
    // Query.lambdaExplicit: @aws_lambda
    { mode: 'AWS_LAMBDA', query: '{ lambdaExplicit }', rule: '@aws_lambda admits AWS_LAMBDA', data: { lambdaExplicit: 'lambdaExplicit' } },
    { mode: 'API_KEY', query: '{ lambdaExplicit }', rule: '@aws_lambda alone does not admit API_KEY', data: { lambdaExplicit: null }, denied: { path: ['lambdaExplicit'], type: 'Query' } },
    { mode: 'AWS_IAM', query: '{ lambdaExplicit }', rule: '@aws_lambda alone does not admit AWS_IAM', data: { lambdaExplicit: null }, denied: { path: ['lambdaExplicit'], type: 'Query' } },
    // Query.apiKeyOrIam: @aws_api_key @aws_iam
    { mode: 'AWS_LAMBDA', query: '{ apiKeyOrIam }', rule: `${FIELD_DIRECTIVE}: @aws_api_key @aws_iam shut out the default mode`, data: { apiKeyOrIam: null }, denied: { path: ['apiKeyOrIam'], type: 'Query' } },
    { mode: 'API_KEY', query: '{ apiKeyOrIam }', rule: 'either directive admits its mode', data: { apiKeyOrIam: 'apiKeyOrIam' } },
    { mode: 'AWS_IAM', query: '{ apiKeyOrIam }', rule: 'either directive admits its mode', data: { apiKeyOrIam: 'apiKeyOrIam' } },
    // Query.panel (all modes) returning Panel @aws_api_key @aws_iam { inherited, overridden @aws_iam }
    { mode: 'AWS_LAMBDA', query: '{ panel { inherited } }', rule: `${RETURN_TYPE}: Panel does not admit AWS_LAMBDA`, data: { panel: null }, denied: { path: ['panel'], type: 'Panel' } },
    { mode: 'API_KEY', query: '{ panel { inherited } }', rule: `${TYPE_DIRECTIVE}: Panel.inherited admits API_KEY`, data: { panel: { inherited: 'inherited' } } },
    { mode: 'AWS_IAM', query: '{ panel { inherited } }', rule: `${TYPE_DIRECTIVE}: Panel.inherited admits AWS_IAM`, data: { panel: { inherited: 'inherited' } } },
    { mode: 'AWS_LAMBDA', query: '{ panel { overridden } }', rule: `${RETURN_TYPE}: Panel does not admit AWS_LAMBDA`, data: { panel: null }, denied: { path: ['panel'], type: 'Panel' } },
    { mode: 'API_KEY', query: '{ panel { overridden } }', rule: `${FIELD_OVERRIDES_TYPE}: Panel.overridden is @aws_iam only`, data: { panel: { overridden: null } }, denied: { path: ['panel', 'overridden'], type: 'Panel' } },
    { mode: 'AWS_IAM', query: '{ panel { overridden } }', rule: `${FIELD_OVERRIDES_TYPE}: Panel.overridden admits AWS_IAM`, data: { panel: { overridden: 'overridden' } } },
    // Query.itemForApiKey: @aws_api_key returning Item (no directive: default mode only)
    { mode: 'AWS_LAMBDA', query: '{ itemForApiKey { id } }', rule: `${FIELD_DIRECTIVE}: @aws_api_key shuts out the default mode`, data: { itemForApiKey: null }, denied: { path: ['itemForApiKey'], type: 'Query' } },
    { mode: 'API_KEY', query: '{ itemForApiKey { id } }', rule: `${RETURN_TYPE}: the field admits API_KEY, Item does not`, data: { itemForApiKey: null }, denied: { path: ['itemForApiKey'], type: 'Item' } },
    { mode: 'AWS_IAM', query: '{ itemForApiKey { id } }', rule: 'the field itself does not admit AWS_IAM', data: { itemForApiKey: null }, denied: { path: ['itemForApiKey'], type: 'Query' } },
    // Query.item: no directive, returning Item (no directive)
    { mode: 'AWS_LAMBDA', query: '{ item { id name secret } }', rule: `${NO_DIRECTIVE}, on the field and on its type`, data: { item: { id: '1', name: 'x', secret: 's' } } },
    { mode: 'API_KEY', query: '{ item { id name secret } }', rule: NO_DIRECTIVE, data: { item: null }, denied: { path: ['item'], type: 'Query' } },
    { mode: 'AWS_IAM', query: '{ item { id name secret } }', rule: NO_DIRECTIVE, data: { item: null }, denied: { path: ['item'], type: 'Query' } },
  ];

  it.each(rows)('$mode $query -> $data ($rule)', async ({ mode, query, data, denied }) => {
    const { status, body } = await as(mode, query);
    expect(status).toBe(200);
    expect(body).toEqual(denied ? { data, errors: [unauthorizedField(query, denied.path, denied.type)] } : { data });
  });

  it('a refused field does not stop the fields next to it (API key: defaultOnly refused, apiKeyOnly resolves)', async () => {
    const query = '{ apiKeyOnly defaultOnly }';
    const { status, body } = await as('API_KEY', query);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { apiKeyOnly: 'apiKeyOnly', defaultOnly: null }, errors: [unauthorizedField(query, ['defaultOnly'], 'Query')] });
  });
});

describe('requests refused before any resolver runs (HTTP 401)', () => {
  const QUERY = '{ whoami { authType } }';

  it('no credentials at all', async () => {
    const { status, body } = await post(JSON.stringify({ query: QUERY }), {});
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
  });

  it('an API key that was never issued', async () => {
    const forged = 'da2-' + 'a'.repeat(26);
    expect(forged).toMatch(/^da2-[a-z2-7]{26}$/);
    expect(await gql(QUERY, { 'x-api-key': forged })).toEqual({ status: 401, body: NOT_AUTHORIZED });
  });

  it('an issued API key in another case, or cut short, is not the key', async () => {
    expect(await gql(QUERY, { 'x-api-key': stack.apiKey.toUpperCase() })).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(await gql(QUERY, { 'x-api-key': stack.apiKey.slice(0, -1) })).toEqual({ status: 401, body: NOT_AUTHORIZED });
  });

  it('an expired API key still listed in the data folder', async () => {
    expect(await gql(QUERY, { 'x-api-key': expiredKey.id })).toEqual({ status: 401, body: NOT_AUTHORIZED });
    // The key about to expire still works, and the stack made (and advertises) a fresh one.
    expect(await gql(QUERY, { 'x-api-key': lastHourKey.id })).toEqual({ status: 200, body: { data: { whoami: { authType: 'API Key Authorization' } } } });
    expect(stack.apiKey).not.toBe(expiredKey.id);
    expect(stack.apiKey).not.toBe(lastHourKey.id);
    const onDisk = JSON.parse(await readFile(path.join(dataDir, 'api-keys.json'), 'utf8')) as ApiKey[];
    expect(onDisk.map((k) => k.id)).toEqual([expiredKey.id, lastHourKey.id, stack.apiKey]);
  });

  it('apiKeyIsValid: a key stops working at its expiry second, not after', () => {
    const keys: ApiKey[] = [{ id: 'da2-k', expires: 1_000 }];
    expect(apiKeyIsValid(keys, 'da2-k', 999_999)).toBe(true);
    expect(apiKeyIsValid(keys, 'da2-k', 1_000_000)).toBe(false);
    expect(apiKeyIsValid(keys, 'da2-K', 999_999)).toBe(false);
  });

  it('a token the authorizer denies (deny-x)', async () => {
    const before = calls();
    expect(await gql(QUERY, { authorization: 'deny-x' })).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(calls()).toBe(before + 1);
  });

  it.each(['Allow-x', 'allow-x1', 'allow-x; drop', 'allow-X', 'Bearer allow-x', 'token'])(
    'a token failing identityValidationExpression (%j) never reaches the authorizer',
    async (token) => {
      const before = calls();
      expect(await gql(QUERY, { authorization: token })).toEqual({ status: 401, body: NOT_AUTHORIZED });
      expect(calls()).toBe(before);
    },
  );

  it('a token over 2,048 characters never reaches the authorizer; one of exactly 2,048 does', async () => {
    const long = 'allow-' + 'a'.repeat(2_043);
    expect(long).toHaveLength(2_049);
    const before = calls();
    expect(await gql(QUERY, { authorization: long })).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(calls()).toBe(before);

    const atLimit = long.slice(0, 2_048);
    expect(await gql(QUERY, { authorization: atLimit })).toEqual({ status: 200, body: { data: { whoami: { authType: 'Lambda Authorization' } } } });
    expect(calls()).toBe(before + 1);
  });

  it('an authorizer that throws is a 401, and the failure is not cached', async () => {
    const before = calls();
    expect(await gql(QUERY, { authorization: 'boom' })).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(calls()).toBe(before + 1);
    expect(await gql(QUERY, { authorization: 'boom' })).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(calls()).toBe(before + 2);
  });
});

describe('forged and replayed SigV4 requests (HTTP 401)', () => {
  const QUERY_BODY = JSON.stringify({ query: '{ iamOnly }' });
  const TAMPERED_BODY = JSON.stringify({ query: '{ apiKeyOrIam }' });
  const refused = (message: string | RegExp) => ({
    status: 401,
    body: { errors: [{ errorType: 'UnauthorizedException', message: typeof message === 'string' ? message : expect.stringMatching(message) }] },
  });

  it('the genuine request works (the baseline every forgery below differs from by one thing)', async () => {
    expect(await post(QUERY_BODY, await sigV4Headers(QUERY_BODY))).toEqual({ status: 200, body: { data: { iamOnly: 'iamOnly' } } });
  });

  it('a body swapped after signing, with the signed x-amz-content-sha256 left in place', async () => {
    const headers = await sigV4Headers(QUERY_BODY);
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(await post(TAMPERED_BODY, headers)).toEqual(refused('The provided x-amz-content-sha256 header does not match what was computed.'));
  });

  it('a body swapped after signing, signed without a payload-hash header', async () => {
    const headers = await sigV4Headers(QUERY_BODY, { applyChecksum: false });
    expect(headers['x-amz-content-sha256']).toBeUndefined();
    expect(await post(TAMPERED_BODY, headers)).toEqual(refused(SIGNATURE_MISMATCH));
  });

  it('a signature made 10 minutes ago (replay outside the 5-minute window)', async () => {
    const headers = await sigV4Headers(QUERY_BODY, { date: new Date(Date.now() - 10 * 60_000) });
    expect(await post(QUERY_BODY, headers)).toEqual(refused(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/));
  });

  it('an unsigned request with a bare AWS4-HMAC-SHA256 Authorization header', async () => {
    expect(await post(QUERY_BODY, { authorization: 'AWS4-HMAC-SHA256' })).toEqual(
      refused(
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter.",
      ),
    );
  });

  it('a well-formed header naming the real access key, with a made-up signature', async () => {
    const amzDate = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
    const authorization =
      `AWS4-HMAC-SHA256 Credential=${iam.accessKeyId}/${amzDate.slice(0, 8)}/${REGION}/appsync/aws4_request, ` +
      `SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(64)}`;
    expect(await post(QUERY_BODY, { authorization, 'x-amz-date': amzDate })).toEqual(refused(SIGNATURE_MISMATCH));
  });

  it('the real access key signed with the wrong secret', async () => {
    const headers = await sigV4Headers(QUERY_BODY, { credentials: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey + 'x' } });
    expect(await post(QUERY_BODY, headers)).toEqual(refused(SIGNATURE_MISMATCH));
  });

  it('an access key the stack does not know', async () => {
    const headers = await sigV4Headers(QUERY_BODY, { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: iam.secretAccessKey } });
    expect(await post(QUERY_BODY, headers)).toEqual(refused('The security token included in the request is invalid.'));
  });
});

describe('the Lambda authorizer contract', () => {
  it('caches a result per token: the same token twice invokes the authorizer once', async () => {
    const before = calls();
    for (let i = 0; i < 2; i++) {
      expect(await gql('{ defaultOnly }', { authorization: 'allow-cached' })).toEqual({ status: 200, body: { data: { defaultOnly: 'defaultOnly' } } });
    }
    expect(calls()).toBe(before + 1);
  });

  it('ttlOverride 0 turns the cache off: the authorizer runs on every request', async () => {
    const before = calls();
    for (let i = 0; i < 3; i++) {
      expect(await gql('{ defaultOnly }', { authorization: 'allow-nocache' })).toEqual({ status: 200, body: { data: { defaultOnly: 'defaultOnly' } } });
    }
    expect(calls()).toBe(before + 3);
  });

  it('resolverContext reaches the resolver as ctx.identity.resolverContext, with util.authType() Lambda Authorization', async () => {
    const { status, body } = await gql('{ whoami { authType identity } }', { authorization: 'allow-ctx' });
    expect(status).toBe(200);
    expect(body.data.whoami.authType).toBe('Lambda Authorization');
    expect(JSON.parse(body.data.whoami.identity)).toEqual({ resolverContext: { name: 'ctx' } });
    expect(body.errors).toBeUndefined();
  });

  it('the authorizer gets the token, the request context and the other headers (not the token header)', async () => {
    const query = 'query Probe($skip: Boolean!) { defaultOnly @skip(if: $skip) }';
    const { status } = await gql(query, { authorization: 'allow-event', 'x-probe': 'p1' }, { operationName: 'Probe', variables: { skip: false } });
    expect(status).toBe(200);
    const event = globalThis.__fixtureAuthorizerEvents!.at(-1)!;
    expect(event).toMatchObject({
      authorizationToken: 'allow-event',
      requestContext: {
        apiId: 'securetasklocal',
        accountId: '000000000000',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        queryString: query,
        operationName: 'Probe',
        variables: { skip: false },
      },
      requestHeaders: { 'x-probe': 'p1', 'content-type': 'application/json' },
    });
    expect(event.requestHeaders).not.toHaveProperty('authorization');
  });

  it('deniedFields, as Type.field and as a field ARN, resolve to null without an error; the rest resolves', async () => {
    expect(DENIED_FIELD_ARN).toMatch(/\/types\/Item\/fields\/name$/);
    const query = '{ secretField defaultOnly item { id name secret } }';
    expect(await gql(query, { authorization: 'allow-limited' })).toEqual({
      status: 200,
      body: { data: { secretField: null, defaultOnly: 'defaultOnly', item: { id: '1', name: null, secret: 's' } } },
    });
    // The same query with a token that has no denied fields: the nulls above came from deniedFields.
    expect(await gql(query, { authorization: 'allow-full' })).toEqual({
      status: 200,
      body: { data: { secretField: 'secretField', defaultOnly: 'defaultOnly', item: { id: '1', name: 'x', secret: 's' } } },
    });
  });

  it('deniedFields still apply when the result comes from the cache', async () => {
    const before = calls();
    const { body } = await gql('{ secretField item { name } }', { authorization: 'allow-limited' });
    expect(body).toEqual({ data: { secretField: null, item: { name: null } } });
    expect(calls()).toBe(before);
  });
});

describe('what resolvers see for the other modes', () => {
  it('API key: util.authType() is API Key Authorization and ctx.identity is null', async () => {
    expect(await as('API_KEY', '{ whoami { authType identity } }')).toEqual({
      status: 200,
      body: { data: { whoami: { authType: 'API Key Authorization', identity: null } } },
    });
  });

  it('IAM: util.authType() is IAM Authorization and ctx.identity is the signing principal', async () => {
    const { status, body } = await as('AWS_IAM', '{ whoami { authType identity } }');
    expect(status).toBe(200);
    expect(body.data.whoami.authType).toBe('IAM Authorization');
    expect(JSON.parse(body.data.whoami.identity)).toEqual({
      accountId: '000000000000',
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: ['127.0.0.1'],
      username: iam.username,
      userArn: iam.userArn,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    });
    expect(iam.userArn).toBe(`arn:aws:iam::000000000000:user/${iam.username}`);
  });
});
