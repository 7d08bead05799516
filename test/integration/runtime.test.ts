import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { loadApi } from '../../local/stack/api.ts';
import { AppSyncCodeError } from '../../local/appsync/runtime/lint.ts';
import { createNextTokenCodec } from '../../local/appsync/datasources/next-token.ts';
import { rejectedFixtureApi, runtimeFixtureApi } from '../fixtures/runtime/api.ts';
import { projectRoot, startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let call: (query: string, variables?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

beforeAll(async () => {
  stack = await startTestStack({ api: runtimeFixtureApi });
  call = (query, variables) => stack.graphql(query, variables, { 'x-api-key': stack.apiKey });
});
afterAll(() => stack?.stop());

describe('pipeline resolvers', () => {
  it('run request, each function, and response, sharing ctx.stash and handing on ctx.prev.result', async () => {
    const { body } = await call('{ pipeline(input: "in") { value trail } }');
    expect(body).toEqual({
      data: {
        pipeline: {
          value: 'in>one>two',
          trail: ['resolver.request', 'one.request', 'one.response', 'two.request', 'two.response', 'resolver.response'],
        },
      },
    });
  });

  it('earlyReturn in the resolver request skips every function and calls the response with the value', async () => {
    const { body } = await call('{ pipelineEarly { value trail } }');
    expect(body.data.pipelineEarly).toEqual({ value: 'skipped', trail: ['resolver.request', 'resolver.response'] });
  });

  it("earlyReturn in a function's request skips its data source and response, then the next function runs", async () => {
    const { body } = await call('{ functionSkipNext { value trail } }');
    expect(body.data.functionSkipNext).toEqual({
      value: 'early-next>two',
      trail: ['resolver.request', 'earlyNext.request', 'two.request', 'two.response', 'resolver.response'],
    });
  });

  it('earlyReturn with skipTo END jumps to the resolver response', async () => {
    const { body } = await call('{ functionSkipEnd { value trail } }');
    expect(body.data.functionSkipEnd).toEqual({ value: 'early-end', trail: ['resolver.request', 'earlyEnd.request', 'resolver.response'] });
  });
});

describe('unit resolvers and data sources', () => {
  it('earlyReturn in a unit request is the result; the response never runs; ctx.env is set', async () => {
    expect((await call('{ unitEarly { id } }')).body).toEqual({ data: { unitEarly: { id: 'early:hello' } } });
  });

  it('the NONE data source hands the payload back', async () => {
    expect((await call('{ noneEcho(value: "v1") { id } }')).body).toEqual({ data: { noneEcho: { id: 'v1' } } });
  });

  it('the Lambda data source invokes the handler with the payload and a Lambda context', async () => {
    const { body } = await call('{ lambdaOk(value: "hi") { id } }');
    expect(body).toEqual({ data: { lambdaOk: { id: 'hi@runtimefixture-echo:true' } } });
  });

  it('a data-source error sits in ctx.error and is not raised unless the handler raises it', async () => {
    const ignored = await call('{ lambdaIgnored { id } }');
    expect(ignored.body).toEqual({ data: { lambdaIgnored: { id: 'saw Lambda:Unhandled: fixture failure' } } });
    const raised = await call('{ lambdaRaised { id } }');
    expect(raised.body.data).toEqual({ lambdaRaised: null });
    expect(raised.body.errors).toEqual([
      { path: ['lambdaRaised'], data: null, errorType: 'Lambda:Unhandled', errorInfo: null, locations: [{ line: 1, column: 3, sourceName: null }], message: 'fixture failure' },
    ]);
  });

  it('DynamoDB transactions and batches run against DynamoDB Local with tables named through ctx.env', async () => {
    const put = await call('mutation { putThings(ids: ["a", "b"], label: "first") }');
    expect(put.body).toEqual({ data: { putThings: ['a', 'b'] } });
    // The condition (item must not exist) fails for "a": the whole transaction writes nothing.
    const again = await call('mutation { putThings(ids: ["c", "a"], label: "second") }');
    expect(again.body).toEqual({ data: { putThings: [] } });
    const read = await call('{ things(ids: ["a", "b", "c"]) { pk label } }');
    expect(read.body).toEqual({ data: { things: [{ pk: 'a', label: 'first' }, { pk: 'b', label: 'first' }, null] } });
  });
});

describe('ctx.info', () => {
  it('gives the field, parent type, variables, and the selection set as a list and as text', async () => {
    const { body } = await call(
      'query Q($f: String) { info(filter: $f) { fieldName ...Parts nested { a } } } fragment Parts on InfoResult { parentTypeName variables selectionSetList selectionSetGraphQL }',
      { f: 'x' },
    );
    const info = body.data.info;
    expect(info.fieldName).toBe('info');
    expect(info.parentTypeName).toBe('Query');
    expect(JSON.parse(info.variables)).toEqual({ f: 'x' });
    expect(info.selectionSetList).toEqual(['fieldName', 'parentTypeName', 'variables', 'selectionSetList', 'selectionSetGraphQL', 'nested', 'nested/a']);
    expect(info.selectionSetGraphQL).toContain('...Parts');
    expect(info.selectionSetGraphQL).toContain('nested {');
  });
});

describe('errors as AppSync shapes them', () => {
  it('util.error gives errorType, data and errorInfo, and the field is null', async () => {
    const { body } = await call('{ failWithData { id } noneEcho(value: "still here") { id } }');
    expect(body.data).toEqual({ failWithData: null, noneEcho: { id: 'still here' } });
    expect(body.errors).toEqual([
      { path: ['failWithData'], data: { id: 'x' }, errorType: 'CustomError', errorInfo: { why: 'because' }, locations: [{ line: 1, column: 3, sourceName: null }], message: 'bad thing' },
    ]);
  });

  it('util.appendError keeps the value and adds the error (partial data)', async () => {
    const { body } = await call('{ partial { id } }');
    expect(body).toEqual({
      data: { partial: { id: 'partial' } },
      errors: [{ path: ['partial'], data: { hint: 1 }, errorType: 'Warning', errorInfo: { more: 2 }, locations: [{ line: 1, column: 3, sourceName: null }], message: 'careful' }],
    });
  });

  it('a bug in resolver code is a Code error naming the file, and the runtime keeps serving', async () => {
    const { body } = await call('{ crash { id } }');
    expect(body.data).toEqual({ crash: null });
    expect(body.errors[0].errorType).toBe('Code');
    expect(body.errors[0].message).toContain('test/fixtures/runtime/resolvers/Query.crash.ts');
    expect((await call('{ noneEcho(value: "ok") { id } }')).body.data.noneEcho).toEqual({ id: 'ok' });
  });

  it('ctx.args is read-only', async () => {
    const { body } = await call('{ writeArgs(value: "original") { id } }');
    expect(body.errors[0]).toMatchObject({ errorType: 'Code', path: ['writeArgs'] });
    expect(body.errors[0].message).toMatch(/read only|read-only|Cannot assign/);
  });

  it('a handler over the time limit fails, and the runtime keeps serving', async () => {
    process.env.SECURETASK_HANDLER_TIME_LIMIT_MS = '50';
    const { body } = await call('{ spin { id } }');
    delete process.env.SECURETASK_HANDLER_TIME_LIMIT_MS;
    expect(body.errors[0]).toMatchObject({ errorType: 'Code', path: ['spin'] });
    expect(body.errors[0].message).toMatch(/Query\.spin\.ts \(response\) ran for \d+ ms; handlers are limited to 50 ms/);
    expect((await call('{ noneEcho(value: "alive") { id } }')).body.data.noneEcho).toEqual({ id: 'alive' });
  });
});

describe('loading resolver code', () => {
  it('refuses code that breaks the APPSYNC_JS rules, naming file, line and rule', async () => {
    const dynamodb = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const loading = loadApi({
      projectRoot,
      api: rejectedFixtureApi,
      dynamodb,
      tableName: (t) => t,
      nextTokens: createNextTokenCodec(Buffer.alloc(32, 1)),
      invokeFunction: () => Promise.reject(new Error('no functions here')),
    });
    const error = await loading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppSyncCodeError);
    const violations = (error as AppSyncCodeError).violations.map((v) => `${v.file}:${v.line} ${v.rule}`);
    expect(violations).toEqual([
      'test/fixtures/runtime/rejected/Query.crash.ts:4 @aws-appsync/no-disallowed-unary-operators',
      'test/fixtures/runtime/rejected/Query.crash.ts:9 @aws-appsync/no-try',
    ]);
    expect((error as Error).message).toContain('test/fixtures/runtime/rejected/Query.crash.ts:9:3');
    dynamodb.destroy();
  });
});
