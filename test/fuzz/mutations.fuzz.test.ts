/**
 * Every mutation of schema.graphql, fuzzed with inputs built from its own argument types: near
 * valid (one field off, at or past a limit), mixed, and hostile (wrong types, huge strings, odd
 * unicode, nulls, unknown and missing fields), as admin, member, API key, IAM and nobody.
 * Every answer must be a clear refusal or a success; at the end the tables must hold exactly
 * what the successful answers said was written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import type { LocalCredentials } from '../../local/appsync/auth/iam.ts';
import { loadAppSyncSchema } from '../../local/appsync/schema.ts';
import { budgetMs, expectClearAnswer, forEachCase, post, Tally } from '../helpers/fuzz.ts';
import { iamCredentials, signedHeaders } from '../helpers/realtime.ts';
import { inputValue, leafSelection } from '../helpers/schema-arbitraries.ts';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';

const schema = loadAppSyncSchema(readFileSync(path.join(projectRoot, 'schema.graphql'), 'utf8'));
const mutations = Object.values(schema.getMutationType()!.getFields());
/** Each mutation's share of FUZZ_RUNS: 22 mutations at the default 300 make 2,640 cases. */
const WEIGHT = 0.4;

type CallerName = 'admin' | 'member' | 'apiKey' | 'iam' | 'nobody' | 'victim';

let stack: TestStack;
let credentials: LocalCredentials;
const tokens: Partial<Record<CallerName, string>> = {};
const victimTokens: string[] = [];
const tally = new Tally('mutations');

/** Ids that name real rows, mixed into generated ids. The admin's and member's are left out: no case may disable the callers. */
const knownIds: string[] = [];
/** What successful answers said was written, to compare with the tables at the end. */
const written = { tasksCreated: 0, tasksDeleted: 0, commentsAdded: 0, commentsDeleted: 0 };
const seeded = { tasks: 0, comments: 0 };

beforeAll(async () => {
  stack = await startTestStack({ config: { verification: { ...defaultVerificationPolicy, signup: 'open', attemptsPerSource: 100_000 } } });
  credentials = await iamCredentials(stack.dataDir);
  tokens.admin = (await stack.tokenFor('fuzz-admin@example.com', 'ADMIN')).token;
  const member = await stack.tokenFor('fuzz-member@example.com', 'MEMBER');
  tokens.member = member.token;
  // Victims: users the fuzzer may demote, disable, delete or sign out.
  for (const n of [1, 2, 3]) {
    const victim = await stack.tokenFor(`victim-${n}@example.com`, 'MEMBER');
    victimTokens.push(victim.token);
    knownIds.push(victim.userId);
  }
  for (const title of ['seeded one', 'seeded two', 'seeded three']) {
    const { body } = await stack.graphql(
      'mutation ($i: CreateTaskInput!) { createTask(boardId: "main", input: $i) { id } }',
      { i: { title, assigneeId: member.userId } },
      { authorization: tokens.admin },
    );
    knownIds.push(body.data.createTask.id);
    seeded.tasks += 1;
    const comment = await stack.graphql('mutation ($t: ID!) { addComment(boardId: "main", taskId: $t, body: "first") { id } }', { t: body.data.createTask.id }, { authorization: tokens.member });
    knownIds.push(comment.body.data.addComment.id);
    seeded.comments += 1;
  }
}, 120_000);

afterAll(async () => {
  tally.print();
  await stack?.stop();
});

/** The headers of one caller; IAM signs the exact body. */
async function headersOf(caller: CallerName, body: string, victim: number): Promise<Record<string, string>> {
  switch (caller) {
    case 'admin':
    case 'member':
      return { authorization: tokens[caller]! };
    case 'victim':
      return { authorization: victimTokens[victim % victimTokens.length]! };
    case 'apiKey':
      return { 'x-api-key': stack.apiKey };
    case 'iam':
      return signedHeaders(stack.graphqlUrl, body, credentials);
    case 'nobody':
      return {};
  }
}

/** The callers worth trying for a mutation: mostly the auth mode it declares, sometimes the others. */
function callerFor(field: GraphQLField<unknown, unknown>): fc.Arbitrary<CallerName> {
  // signOut revokes every token of its caller: only victims may call it, or the run loses its admin.
  if (field.name === 'signOut') return fc.constantFrom<CallerName>('victim', 'apiKey', 'nobody');
  const directives = (field.astNode?.directives ?? []).map((d) => d.name.value);
  const declared: CallerName = directives.includes('aws_iam') ? 'iam' : directives.includes('aws_api_key') ? 'apiKey' : 'admin';
  return fc.oneof({ weight: 6, arbitrary: fc.constant(declared) }, { weight: 3, arbitrary: fc.constantFrom<CallerName>('admin', 'member', 'victim') }, { weight: 1, arbitrary: fc.constantFrom<CallerName>('apiKey', 'iam', 'nobody') });
}

/** A GraphQL literal for `value` (enum names bare), for cases that inline arguments instead of using variables. */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const inner = isNonNullType(type) ? type.ofType : type;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(inner) ? inner.getFields() : {};
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? inner)}`).join(', ')}}`;
  }
  if (typeof value === 'string' && isEnumType(getNamedType(inner)) && /^[_A-Za-z]\w*$/.test(value)) return value;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** One request for `field`: its arguments as variables (or inline), its return type's leaf fields selected. */
function requestFor(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, inline: boolean): { query: string; variables: Record<string, unknown> } {
  const selection = leafSelection(field.type);
  if (!field.args.length) return { query: `mutation Fuzz { ${field.name} ${selection} }`, variables: {} };
  if (inline) {
    const list = field.args.filter((a) => a.name in args).map((a) => `${a.name}: ${literal(args[a.name], a.type)}`);
    return { query: `mutation Fuzz { ${field.name}${list.length ? `(${list.join(', ')})` : ''} ${selection} }`, variables: {} };
  }
  const definitions = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const uses = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return { query: `mutation Fuzz(${definitions}) { ${field.name}(${uses}) ${selection} }`, variables: args };
}

/** Arguments for `field`: near valid, mixed, or hostile throughout; sometimes not even an object of the right keys. */
function argumentsFor(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const pool = { ids: () => knownIds };
  const at = (hostility: number) => fc.record(Object.fromEntries(field.args.map((a) => [a.name, inputValue(a.type, pool, hostility)])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 4, arbitrary: at(0.02) },
    { weight: 3, arbitrary: at(0.15) },
    { weight: 2, arbitrary: at(0.6) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  );
}

/** Notes what a successful answer wrote, for the bookkeeping check at the end. */
function account(field: string, data: Record<string, any> | null | undefined): void {
  const value = data?.[field];
  if (!value) return;
  if (field === 'createTask') (written.tasksCreated += 1), knownIds.push(value.id);
  if (field === 'deleteTask') written.tasksDeleted += 1;
  if (field === 'addComment') (written.commentsAdded += 1), knownIds.push(value.id);
  if (field === 'deleteComment') written.commentsDeleted += 1;
  if (field === 'startVerification' || field === 'startFaceLogin') knownIds.push(value.id);
}

describe('every mutation answers fuzzed input with data or a clear refusal', () => {
  it.each(mutations.map((m) => [m.name, m] as const))('%s', async (_, field) => {
    const cases = fc.record({ caller: callerFor(field), victim: fc.nat(), args: argumentsFor(field), inline: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) });
    await forEachCase(cases, WEIGHT, async ({ caller, victim, args, inline }) => {
      const body = JSON.stringify(requestFor(field, args, inline));
      const answer = await post(stack.graphqlUrl, body, await headersOf(caller, body, victim));
      const what = `${field.name} as ${caller}: ${body.length > 800 ? `${body.slice(0, 800)}...` : body}`;
      tally.record(expectClearAnswer(answer, what));
      if (answer.status === 200) account(field.name, (answer.body as { data?: Record<string, unknown> }).data);
    });
  }, budgetMs(WEIGHT));
});

describe('found by this suite', () => {
  it('signOut by a user erased while their token is still cached -> Unauthorized, not a raw transaction failure', async () => {
    const leaver = await stack.tokenFor('leaver@example.com', 'MEMBER');
    await stack.graphql('{ me { id } }', undefined, { authorization: leaver.token }); // the authorizer result is now cached
    const erased = await stack.graphql('mutation ($u: ID!) { deleteUser(userId: $u) }', { u: leaver.userId }, { authorization: tokens.admin! });
    expect(erased.body.errors).toBeUndefined();
    const { body } = await stack.graphql('mutation { signOut }', undefined, { authorization: leaver.token });
    expect(body.errors[0]).toMatchObject({ errorType: 'Unauthorized', message: 'This account no longer exists.' });
  });
});

describe('after the run', () => {
  it('the server still answers a normal query, for every caller', async () => {
    for (const caller of ['admin', 'member'] as const) {
      const { status, body } = await stack.graphql('{ me { email } }', undefined, { authorization: tokens[caller]! });
      expect(status).toBe(200);
      expect(body.data.me.email).toBe(`fuzz-${caller}@example.com`);
    }
  });

  it('no input polluted the prototype of the objects the server (in this process) makes', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('holds exactly what the successful answers wrote: no task, history entry or comment from a refused write', async () => {
    const scan = async (table: string) => {
      const items: Record<string, any>[] = [];
      let start: Record<string, any> | undefined;
      do {
        const page = await stack.dynamodb.send(new ScanCommand({ TableName: stack.tableName(table), ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    const [tasks, history, comments] = await Promise.all([scan('Tasks'), scan('TaskHistory'), scan('Comments')]);
    expect(tasks).toHaveLength(seeded.tasks + written.tasksCreated - written.tasksDeleted);
    expect(comments.length).toBe(seeded.comments + written.commentsAdded - written.commentsDeleted);
    // Each write of a live task left exactly one history entry, in its own transaction: versions 1..version.
    for (const task of tasks) {
      const versions = history.filter((h) => h.taskId.S === task.id.S).map((h) => Number(h.version.N)).sort((a, b) => a - b);
      expect(versions, `history of ${task.id.S}`).toEqual(Array.from({ length: Number(task.version.N) }, (_, i) => i + 1));
    }
  });
});
