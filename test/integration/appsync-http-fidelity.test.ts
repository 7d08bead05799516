/**
 * AppSync's HTTP behaviours a third-party client notices, each as AppSync shows it (sources in
 * docs/appsync-fidelity.md): validation refusals, response headers, GET queries and the depth
 * limit's partial data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeFixtureApi } from '../fixtures/runtime/api.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let limited: TestStack;
let auth: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  auth = { authorization: (await stack.tokenFor('fidelity@example.com', 'MEMBER')).token };
  // The fixture API with a queryDepthLimit of 2: Query.info (1) -> nested (2) -> a (3) is one too deep.
  limited = await startTestStack({ api: { ...runtimeFixtureApi, limits: { queryDepth: 2, resolverCount: 10 } } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await limited?.stop();
});

describe('a document that fails validation', () => {
  it('is HTTP 200 with data null and graphql-java\'s "Validation error of type ..." words, no errorType', async () => {
    const { status, body } = await stack.graphql('query { me { id } badfield }', undefined, auth);
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [{ path: null, locations: [{ line: 1, column: 19, sourceName: null }], message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'" }],
    });
  });

  it('names the rule graphql-java would for other failures (an unknown argument, a missing selection)', async () => {
    const { body } = await stack.graphql('{ me(nope: 1) { id } task(boardId: "main", id: "t") }', undefined, auth);
    expect(body.data).toBeNull();
    const messages = body.errors.map((e: { message: string }) => e.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^Validation error of type UnknownArgument: /), expect.stringMatching(/^Validation error of type SubSelectionRequired: /)]));
    expect(body.errors.every((e: { errorType?: string }) => e.errorType === undefined)).toBe(true);
  });
});

describe('response headers', () => {
  it('every response carries x-amzn-RequestId; a refused request also x-amzn-ErrorType', async () => {
    const ok = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get('x-amzn-errortype')).toBeNull();
    const refused = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'not-a-token' }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    expect(refused.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused.headers.get('x-amzn-requestid')).not.toBe(ok.headers.get('x-amzn-requestid'));
    // Browsers let scripts read them.
    expect(refused.headers.get('access-control-expose-headers')).toContain('x-amzn-RequestId');
  });
});

describe('GET', () => {
  it('runs a query from the query string (query, variables, operationName), with the same auth', async () => {
    const url = new URL(stack.graphqlUrl);
    url.searchParams.set('query', 'query Me($n: Int) { me { email } tasks(boardId: "main", limit: $n) { items { id } } }');
    url.searchParams.set('variables', JSON.stringify({ n: 1 }));
    url.searchParams.set('operationName', 'Me');
    const response = await fetch(url, { headers: auth });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.me.email).toBe('fidelity@example.com');
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
  });

  it('refuses variables that are not JSON as a malformed request', async () => {
    const response = await fetch(`${stack.graphqlUrl}?query=${encodeURIComponent('{ me { id } }')}&variables=%7Bnope`, { headers: auth });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].errorType).toBe('MalformedHttpRequestException');
  });
});

describe('queryDepthLimit', () => {
  it('errors on the over-deep field only: the rest of the response is data', async () => {
    const { status, body } = await limited.graphql('{ info { fieldName nested { a } } noneEcho(value: "v") { id } }', undefined, { 'x-api-key': limited.apiKey });
    expect(status).toBe(200);
    expect(body.data).toEqual({ info: { fieldName: 'info', nested: { a: null } }, noneEcho: { id: 'v' } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ['info', 'nested', 'a'], message: expect.stringContaining('queryDepthLimit of 2') });
  });

  it('counts introspection fields too, and refuses an over-deep introspection before it runs', async () => {
    const { body } = await limited.graphql('{ __schema { queryType { fields { name } } } }', undefined, { 'x-api-key': limited.apiKey });
    expect(body).toEqual({ data: null, errors: [expect.objectContaining({ message: "Validation error of type MaxQueryDepth: Field 'fields' is at depth 3, deeper than the API's queryDepthLimit of 2." })] });
  });
});

describe("a request's work is bounded before it runs (the local runtime's own bound)", () => {
  it('refuses introspection that would resolve more than 100,000 fields, and runs the same document with fewer aliases', async () => {
    const walk = (alias: string) => `${alias}: __schema { types { name fields { name args { name type { name kind ofType { name } } } } } }`;
    const wide = `{ ${Array.from({ length: 100 }, (_, i) => walk(`s${i}`)).join(' ')} }`;
    const refused = await stack.graphql(wide, undefined, auth);
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ data: null, errors: [expect.objectContaining({ message: expect.stringContaining('more than 100000 fields') })] });
    const one = await stack.graphql(`{ ${walk('s0')} }`, undefined, auth);
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.s0.types.length).toBeGreaterThan(10);
  });
});
