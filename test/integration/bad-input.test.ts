import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let auth: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  auth = { authorization: (await stack.tokenFor('fuzz@example.com')).token };
});
afterAll(() => stack?.stop());

/** Sends a raw body; returns status and parsed JSON (every answer must be JSON). */
async function raw(body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body });
  return { status: response.status, body: (await response.json()) as any };
}

/** After every bad request the runtime must still answer a good one. */
async function stillServing() {
  const { status, body } = await stack.graphql('{ me { email } }', undefined, auth);
  expect(status).toBe(200);
  expect(body.data.me.email).toBe('fuzz@example.com');
}

describe('bad input gets a clear error, and the runtime keeps serving', () => {
  it.each([
    ['not JSON', '{"query": '],
    ['a JSON array', '[1,2]'],
    ['no query', '{"variables": {}}'],
    ['a query that is not a string', '{"query": 42}'],
    ['variables that are not an object', '{"query": "{ me { id } }", "variables": [1]}'],
  ])('%s -> 400 MalformedHttpRequestException', async (_, body) => {
    const response = await raw(body);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].errorType).toBe('MalformedHttpRequestException');
    await stillServing();
  });

  // AppSync answers a document that does not parse or validate with HTTP 200, data null, and
  // graphql-java's words without an errorType (docs/appsync-fidelity.md).
  it('invalid GraphQL syntax -> 200, data null, "Invalid Syntax" with a location', async () => {
    const { status, body } = await raw(JSON.stringify({ query: '{ me { id ' }));
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors[0]).toMatchObject({ path: null });
    expect(body.errors[0].errorType).toBeUndefined();
    expect(body.errors[0].message).toMatch(/^Invalid Syntax : /);
    expect(body.errors[0].locations[0]).toMatchObject({ line: 1, sourceName: null });
    await stillServing();
  });

  it('a field the schema does not have -> 200, data null, AppSync\'s FieldUndefined wording', async () => {
    const { status, body } = await stack.graphql('{ me { password } }', undefined, auth);
    expect(status).toBe(200);
    expect(body).toEqual({
      data: null,
      errors: [{ path: null, locations: [{ line: 1, column: 8, sourceName: null }], message: "Validation error of type FieldUndefined: Field 'password' in type 'User' is undefined @ 'me/password'" }],
    });
  });

  it('a variable of the wrong type -> 200, data null, nothing runs', async () => {
    const { status, body } = await stack.graphql('query ($id: ID!) { task(boardId: "main", id: $id) { id } }', { id: { not: 'an id' } }, auth);
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors[0]).toMatchObject({ path: null, message: expect.stringContaining('$id') });
    await stillServing();
  });

  it('an invalid AppSync scalar (AWSDate) in a variable -> ValidationError, nothing is written', async () => {
    const mutation = 'mutation ($input: CreateTaskInput!) { createTask(boardId: "main", input: $input) { id } }';
    const { status, body } = await stack.graphql(mutation, { input: { title: 'bad date', dueDate: '2026-02-30' } }, auth);
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors[0].message).toContain('2026-02-30');
    const list = await stack.graphql('{ tasks(boardId: "main") { items { title } } }', undefined, auth);
    expect(list.body.data.tasks.items.map((t: { title: string }) => t.title)).not.toContain('bad date');
  });

  it('an invalid enum value inline -> a WrongType validation error', async () => {
    const { body } = await stack.graphql('mutation { createTask(boardId: "main", input: { title: "x", status: SIDEWAYS }) { id } }', undefined, auth);
    expect(body.data).toBeNull();
    expect(body.errors[0].message).toMatch(/^Validation error of type WrongType: /);
  });

  it('a body over 1 MB -> 413 PayloadTooLargeException, and the runtime keeps serving', async () => {
    const huge = JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(2 * 1024 * 1024)}` });
    const { status, body } = await raw(huge);
    expect(status).toBe(413);
    expect(body.errors[0].errorType).toBe('PayloadTooLargeException');
    await stillServing();
  });

  it('a subscription over HTTP -> UnsupportedOperation', async () => {
    const { status, body } = await stack.graphql('subscription { onBoardStats(boardId: "main") { __typename } }', undefined, auth);
    expect(status).toBe(400);
    expect(body.errors[0].errorType).toBe('UnsupportedOperation');
  });

  it('two operations without operationName -> a clear 400', async () => {
    const { status, body } = await stack.graphql('query A { me { id } } query B { me { email } }', undefined, auth);
    expect(status).toBe(400);
    expect(body.errors[0].message).toContain('operationName');
  });

  it('GET /graphql without a query, other methods and unknown paths answer with JSON errors, not stack traces', async () => {
    const get = await fetch(stack.graphqlUrl);
    expect(get.status).toBe(400);
    expect(((await get.json()) as any).errors[0].errorType).toBe('MalformedHttpRequestException');
    const put = await fetch(stack.graphqlUrl, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(((await put.json()) as any).errors[0].errorType).toBe('MethodNotAllowed');
    const missing = await fetch(stack.graphqlUrl.replace('/graphql', '/nope'));
    expect(missing.status).toBe(404);
    expect(JSON.stringify(await missing.json())).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a browser preflight gets CORS headers for the headers AppSync clients send', async () => {
    const response = await fetch(stack.graphqlUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-api-key');
  });

  it('200 concurrent requests mixing good and bad input all get answers', async () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      i % 2 ? raw('{"query": "{ me { email } }"}') : raw(`{"query": "{ me { ${'{'.repeat(i % 7)} "}`),
    );
    const results = await Promise.all(requests);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.data?.me)).toHaveLength(100);
    expect(results.filter((r) => r.body.data === null && /^Invalid Syntax : /.test(r.body.errors[0].message))).toHaveLength(100);
  });
});
