/**
 * GraphQL documents no client should send: garbage, valid documents with a few characters
 * changed, token soup, documents that are too wide, too deep, cyclic, full of operations or
 * directives, introspection that fans out, bodies at and over the size limit. Each must be
 * answered (never a hang), never with a 5xx, and refused with a clear error where it is invalid.
 */
import fc from 'fast-check';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../local/appsync/http-server.ts';
import { budgetMs, EventLoopWatch, expectClearAnswer, forEachCase, post, Tally } from '../helpers/fuzz.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let auth: Record<string, string>;
const tally = new Tally('graphql-documents');
let loop: EventLoopWatch;

beforeAll(async () => {
  stack = await startTestStack();
  auth = { authorization: (await stack.tokenFor('documents@example.com', 'ADMIN')).token };
  loop = new EventLoopWatch();
}, 120_000);

afterAll(async () => {
  tally.print();
  if (loop) console.log(`[fuzz] graphql-documents: ${loop.stop()}`);
  await stack?.stop();
});

/** One generated request: the body to send and whether it must be refused (an invalid document). */
interface DocumentCase {
  kind: string;
  body: string;
  mustRefuse: boolean;
}

const request = (kind: string, query: string, mustRefuse: boolean, extra: Record<string, unknown> = {}): DocumentCase => ({
  kind,
  body: JSON.stringify({ query, ...extra }),
  mustRefuse,
});

/** Valid documents the mutations below start from. */
const CORPUS = [
  '{ me { id email role } }',
  'query Board($limit: Int) { tasks(boardId: "main", limit: $limit) { items { id title status labels } nextToken } }',
  'mutation { createTask(boardId: "main", input: { title: "x", labels: ["a"], position: { after: "a" } }) { id version } }',
  'query { task(boardId: "main", id: "t") { ...F } } fragment F on Task { id title }',
  'query { __type(name: "Task") { fields { name type { name kind ofType { name } } } } }',
  '{ boardStats(boardId: "main") { total byStatus { status count } } }',
];

const PUNCTUATION = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '!', '...', '"', '"""', '#', '\n', ',', '=', '|', '&', '\\', '\u0000', '\ufeff', '😀'];
const TOKENS = [...PUNCTUATION, 'query', 'mutation', 'subscription', 'fragment', 'on', 'me', 'tasks(boardId: "main")', 'id', '__schema', '__typename', 'true', 'null', '1e999', '-0', '"\\u0000"', '"\\ud800"', 'Task', 'F', '$v'];

const garbage = fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).map((q) => request('garbage', q, true));

const mutated = fc
  .record({
    base: fc.constantFrom(...CORPUS),
    edits: fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), insert: fc.constantFrom('', ...PUNCTUATION) }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ base, edits }) => {
    let query = base;
    for (const { at, cut, insert } of edits) {
      const i = at % (query.length + 1);
      query = query.slice(0, i) + insert + query.slice(i + cut);
    }
    return request('mutated', query, false);
  });

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 60 }).map((tokens) => request('token soup', tokens.join(' '), false));

/** Sizes from ordinary to what only an attacker sends (a 1 MB body holds about 300,000 fields). */
const COUNT = fc.constantFrom(2, 10, 26, 100, 1_000, 10_000, 50_000);

const wide = fc.record({ n: COUNT, how: fc.constantFrom('same field', 'aliases', 'aliased resolvers', 'conflicting aliases') }).map(({ n, how }) => {
  const fields = Array.from({ length: n }, (_, i) =>
    how === 'same field' ? 'id' : how === 'aliases' ? `a${i}: id` : how === 'aliased resolvers' ? `t${i}: task(boardId: "main", id: "${i}") { id }` : `x: task(boardId: "main", id: "${i}") { id }`,
  );
  const query = how === 'same field' || how === 'aliases' ? `{ me { ${fields.join(' ')} } }` : `{ ${fields.join(' ')} }`;
  // Two fields answering to one name with different arguments cannot be merged: always invalid.
  return request(`wide (${how})`, query, how === 'conflicting aliases');
});

/** Deeper than the API's queryDepthLimit (8), by nesting, by fragments, and past what a recursive parser can take. */
const deep = fc.record({ n: fc.constantFrom(9, 20, 100, 1_000, 5_000, 50_000), how: fc.constantFrom('nesting', 'fragment chain') }).map(({ n, how }) => {
  if (how === 'nesting') return request('deep (nesting)', `{ task(boardId: "main", id: "1") ${'{ id '.repeat(n)}${'}'.repeat(n)} }`, true);
  const fragments = Array.from({ length: Math.min(n, 2_000) }, (_, i) => `fragment F${i} on Task { id ...F${i + 1} }`).join('\n');
  return request('deep (fragment chain)', `{ task(boardId: "main", id: "1") { ...F0 } }\n${fragments}`, true);
});

const fragmentCycle = fc.integer({ min: 1, max: 200 }).map((k) => {
  const fragments = Array.from({ length: k }, (_, i) => `fragment F${i} on Task { id ...F${(i + 1) % k} }`).join('\n');
  return request('fragment cycle', `{ task(boardId: "main", id: "1") { ...F0 } }\n${fragments}`, true);
});

const manyOperations = fc.record({ n: fc.constantFrom(2, 100, 5_000), name: fc.constantFrom<'none' | 'one' | 'unknown'>('none', 'one', 'unknown') }).map(({ n, name }) => {
  const query = Array.from({ length: n }, (_, i) => `query Q${i} { me { id } }`).join('\n');
  const operationName = name === 'one' ? `Q${n - 1}` : name === 'unknown' ? 'Nope' : undefined;
  return request(`${n} operations, operationName ${name}`, query, name !== 'one', operationName ? { operationName } : {});
});

const directives = fc.record({ n: COUNT, which: fc.constantFrom('@include(if: true)', '@skip(if: false)', '@deprecated', '@aws_api_key', '@nope') }).map(({ n, which }) => {
  return request(`directives (${which})`, `{ me ${`${which} `.repeat(n)}{ id } }`, n > 1 || which === '@deprecated' || which === '@nope' || which === '@aws_api_key');
});

/** Introspection: the full query clients and tools send, and fragments that fan out over the type graph. */
const fullIntrospection = fc.boolean().map((descriptions) => request('full introspection', getIntrospectionQuery({ descriptions, inputValueDeprecation: true }), false));

const introspectionBomb = fc.record({ fanOut: fc.integer({ min: 1, max: 12 }), levels: fc.integer({ min: 1, max: 12 }) }).map(({ fanOut, levels }) => {
  const aliases = (level: number) => Array.from({ length: fanOut }, (_, i) => `a${i}: fields { type { ...T${level + 1} } } b${i}: ofType { ...T${level + 1} }`).join(' ');
  const fragments = Array.from({ length: levels }, (_, level) => `fragment T${level} on __Type { name kind ${aliases(level)} }`);
  fragments.push(`fragment T${levels} on __Type { name }`);
  return request(`introspection bomb (fan-out ${fanOut}, ${levels} levels)`, `{ __schema { types { ...T0 } } }\n${fragments.join('\n')}`, false);
});

/** Bodies at and just over the limit, huge variables objects, variables nested very deep. */
const oversized = fc.constantFrom('body at the limit', 'body over the limit', 'many variables', 'deep variables', 'huge string variable').map((how) => {
  const query = 'query ($limit: Int) { tasks(boardId: "main", limit: $limit) { items { id } } }';
  const padded = (bytes: number) => {
    const head = JSON.stringify({ query: `${query} #` }).slice(0, -2);
    return { kind: how, body: `${head}${'x'.repeat(bytes - head.length - 2)}"}`, mustRefuse: bytes > MAX_BODY_BYTES };
  };
  switch (how) {
    case 'body at the limit':
      return padded(MAX_BODY_BYTES);
    case 'body over the limit':
      return padded(MAX_BODY_BYTES + 1);
    case 'many variables':
      return request(how, query, false, { variables: Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`v${i}`, i])) });
    case 'deep variables':
      return { kind: how, body: `{"query":${JSON.stringify(query)},"variables":{"limit":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`, mustRefuse: true };
    default:
      return request(how, 'query ($f: TaskFilter) { tasks(boardId: "main", filter: $f) { items { id } } }', false, { variables: { f: { label: 'x'.repeat(900_000) } } });
  }
});

const cases = fc.oneof(
  { weight: 4, arbitrary: garbage },
  { weight: 6, arbitrary: mutated },
  { weight: 4, arbitrary: tokenSoup },
  { weight: 2, arbitrary: wide },
  { weight: 2, arbitrary: deep },
  { weight: 1, arbitrary: fragmentCycle },
  { weight: 1, arbitrary: manyOperations },
  { weight: 1, arbitrary: directives },
  { weight: 1, arbitrary: fullIntrospection },
  { weight: 2, arbitrary: introspectionBomb },
  { weight: 1, arbitrary: oversized },
);

describe('malformed, oversized, deep and wide GraphQL documents', () => {
  it('each gets an answer in time, never a 5xx, and invalid ones a clear refusal', async () => {
    await forEachCase(cases, 2, async ({ kind, body, mustRefuse }) => {
      const answer = await post(stack.graphqlUrl, body, auth);
      const what = `${kind}: ${body.length > 300 ? `${body.slice(0, 300)}... (${body.length} characters)` : body}`;
      const errorTypes = expectClearAnswer(answer, what);
      if (mustRefuse) expect(errorTypes.length, `accepted: ${what}`).toBeGreaterThan(0);
      tally.record(errorTypes);
    });
  }, budgetMs(2));

  it('a document nested past what the parser can recurse into is refused in words, not with a RangeError', async () => {
    // 4,900 levels: just inside the document's token bound (three tokens a level).
    const { status, body } = await stack.graphql(`{ me ${'{ id '.repeat(4_900)}${'}'.repeat(4_900)} }`, undefined, auth);
    expect(status).toBe(200);
    expect(body).toEqual({ data: null, errors: [expect.objectContaining({ message: expect.stringMatching(/^Validation error of type \w+: /) })] });
    expect(body.errors[0].message).not.toMatch(/RangeError|call stack/);
  });

  it('a document of more tokens than the runtime parses is refused before it is read whole', async () => {
    const { status, body } = await stack.graphql(`{ me { ${'id '.repeat(20_000)}} }`, undefined, auth);
    expect(status).toBe(200);
    expect(body).toEqual({ data: null, errors: [expect.objectContaining({ path: null, message: expect.stringMatching(/^Invalid Syntax : Document contains more th\w+ 15000 tokens/) })] });
  });

  it('still answers a normal query afterwards', async () => {
    const { status, body } = await stack.graphql('{ me { email } }', undefined, auth);
    expect(status).toBe(200);
    expect(body.data.me.email).toBe('documents@example.com');
  });
});
