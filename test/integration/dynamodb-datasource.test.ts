import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTables } from '../../local/aws/dynamodb/tables.ts';
import { createDynamoDBDataSource, type DataSourceResult } from '../../local/appsync/datasources/dynamodb.ts';
import { createNextTokenCodec } from '../../local/appsync/datasources/next-token.ts';
import { sampleTables } from '../fixtures/tables.ts';

const prefix = `ds-${randomBytes(4).toString('hex')}-`;
const physical = (logical: string) => `${prefix}${logical}`;
const tables = sampleTables;

let client: DynamoDBClient;
const tokens = createNextTokenCodec(randomBytes(32));
const items = () => createDynamoDBDataSource({ client, tableName: physical('Items'), tokens });
const counters = () => createDynamoDBDataSource({ client, tableName: physical('Counters'), tokens });
const S = (value: string) => ({ S: value });
const key = (pk: string, sk: string) => ({ pk: S(pk), sk: S(sk) });

function ok(outcome: DataSourceResult): any {
  expect(outcome.error).toBeUndefined();
  return outcome.result;
}

beforeAll(async () => {
  client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTables(client, tables, physical);
});
afterAll(() => client?.destroy());

describe('single-item operations', () => {
  it('PutItem returns the item written; numbers given as JS numbers, sets, nested maps and binary round-trip', async () => {
    const put = ok(
      await items().invoke({
        operation: 'PutItem',
        key: key('p1', 'a'),
        attributeValues: {
          count: { N: 10 },
          price: { N: '2.5' },
          tags: { SS: ['x', 'y'] },
          scores: { NS: [1, '2'] },
          blob: { B: Buffer.from('hi').toString('base64') },
          nested: { M: { depth: { M: { n: { N: 3 }, list: { L: [{ S: 'a' }, { N: 4 }, { NULL: true }, { BOOL: false }] } } } } },
        },
      }),
    );
    expect(put).toEqual({
      pk: 'p1',
      sk: 'a',
      count: 10,
      price: 2.5,
      tags: ['x', 'y'],
      scores: [1, 2],
      blob: Buffer.from('hi').toString('base64'),
      nested: { depth: { n: 3, list: ['a', 4, null, false] } },
    });
    const got = ok(await items().invoke({ operation: 'GetItem', key: key('p1', 'a'), consistentRead: true }));
    expect({ ...got, tags: [...got.tags].sort(), scores: [...got.scores].sort() }).toEqual(put);
    expect(ok(await items().invoke({ operation: 'GetItem', key: key('p1', 'missing') }))).toBeNull();
    const projected = ok(
      await items().invoke({ operation: 'GetItem', key: key('p1', 'a'), projection: { expression: '#c', expressionNames: { '#c': 'count' } } }),
    );
    expect(projected).toEqual({ count: 10 });
  });

  it('UpdateItem returns ALL_NEW and DeleteItem returns ALL_OLD (null when nothing was there)', async () => {
    ok(await counters().invoke({ operation: 'PutItem', key: { id: S('c1') }, attributeValues: { n: { N: 1 } } }));
    const updated = ok(
      await counters().invoke({
        operation: 'UpdateItem',
        key: { id: S('c1') },
        update: { expression: 'ADD #n :one SET #l = :label', expressionNames: { '#n': 'n', '#l': 'label' }, expressionValues: { ':one': { N: 1 }, ':label': S('two') } },
      }),
    );
    expect(updated).toEqual({ id: 'c1', n: 2, label: 'two' });
    expect(ok(await counters().invoke({ operation: 'DeleteItem', key: { id: S('c1') } }))).toEqual(updated);
    expect(ok(await counters().invoke({ operation: 'DeleteItem', key: { id: S('c1') } }))).toBeNull();
  });

  it('a failed condition gives DynamoDB:ConditionalCheckFailedException with the current item in result', async () => {
    ok(await counters().invoke({ operation: 'PutItem', key: { id: S('cc') }, attributeValues: { version: { N: 1 } } }));
    const failed = await counters().invoke({
      operation: 'UpdateItem',
      key: { id: S('cc') },
      update: { expression: 'SET version = :next', expressionValues: { ':next': { N: 3 } } },
      condition: { expression: 'version = :expected', expressionValues: { ':expected': { N: 2 } } },
    });
    expect(failed.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(failed.error?.message).toMatch(/conditional request failed/i);
    expect(failed.result).toEqual({ id: 'cc', version: 1 });

    const putConflict = await counters().invoke({
      operation: 'PutItem',
      key: { id: S('cc') },
      attributeValues: { version: { N: 5 } },
      condition: { expression: 'attribute_not_exists(id)' },
    });
    expect(putConflict.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(putConflict.result).toEqual({ id: 'cc', version: 1 });
  });

  it('treats a failed condition as success when DynamoDB already holds the desired result (AppSync docs)', async () => {
    const request = {
      operation: 'PutItem',
      key: { id: S('same') },
      attributeValues: { v: { N: 1 }, version: { N: 7 } },
      condition: { expression: 'attribute_not_exists(id)', equalsIgnore: ['version'] },
    };
    ok(await counters().invoke(request));
    const again = await counters().invoke({ ...request, attributeValues: { v: { N: 1 }, version: { N: 8 } } });
    expect(again).toEqual({ result: { id: 'same', v: 1, version: 7 } });
    const deleteMissing = await counters().invoke({ operation: 'DeleteItem', key: { id: S('never') }, condition: { expression: 'attribute_exists(id)' } });
    expect(deleteMissing).toEqual({ result: null });
  });
});

describe('Query and Scan', () => {
  beforeAll(async () => {
    for (let i = 0; i < 250; i += 25) {
      const batch = Array.from({ length: 25 }, (_, j) => {
        const n = i + j;
        return { pk: S('page'), sk: S(`k${String(n).padStart(3, '0')}`), n: { N: n }, owner: S(n % 2 ? 'odd' : 'even') };
      });
      ok(await items().invoke({ operation: 'BatchPutItem', tables: { [physical('Items')]: batch } }));
    }
  });

  async function drain(request: Record<string, unknown>): Promise<{ all: any[]; pages: number }> {
    const all: any[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page: any = ok(await items().invoke({ ...request, nextToken }));
      expect(Object.keys(page).sort()).toEqual(['items', 'nextToken', 'scannedCount']);
      all.push(...page.items);
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    return { all, pages };
  }

  it('paginates 250 items with limit 40: every item exactly once', async () => {
    const { all, pages } = await drain({ operation: 'Query', query: { expression: 'pk = :pk', expressionValues: { ':pk': S('page') } }, limit: 40 });
    expect(pages).toBeGreaterThanOrEqual(7);
    expect(all).toHaveLength(250);
    expect(new Set(all.map((item) => item.sk)).size).toBe(250);
    const scanned = await drain({ operation: 'Scan', limit: 40, filter: { expression: 'pk = :pk', expressionValues: { ':pk': S('page') } } });
    expect(scanned.all).toHaveLength(250);
  });

  it('Query supports index, filter, projection and scanIndexForward', async () => {
    const page: any = ok(
      await items().invoke({
        operation: 'Query',
        index: 'byOwner',
        query: { expression: '#o = :o AND begins_with(sk, :p)', expressionNames: { '#o': 'owner' }, expressionValues: { ':o': S('odd'), ':p': S('k00') } },
        filter: { expression: 'n > :min', expressionValues: { ':min': { N: 3 } } },
        projection: { expression: 'sk, n' },
        scanIndexForward: false,
      }),
    );
    expect(page.items).toEqual([{ sk: 'k009', n: 9 }, { sk: 'k007', n: 7 }, { sk: 'k005', n: 5 }]);
    expect(page.scannedCount).toBe(5);
    expect(page.nextToken).toBeNull();
  });

  it('rejects a tampered, foreign or cross-operation nextToken with a clear error', async () => {
    const first: any = ok(await items().invoke({ operation: 'Query', query: { expression: 'pk = :pk', expressionValues: { ':pk': S('page') } }, limit: 5 }));
    const token: string = first.nextToken;
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    const foreign = createNextTokenCodec(randomBytes(32)).encode({ pk: S('page'), sk: S('k004') });
    const query = { operation: 'Query', query: { expression: 'pk = :pk', expressionValues: { ':pk': S('page') } } };
    for (const bad of [flipped, foreign, 'not-a-token', '{"pk":{"S":"page"}}']) {
      const outcome = await items().invoke({ ...query, nextToken: bad });
      expect(outcome.result).toBeNull();
      expect(outcome.error).toEqual({
        type: 'DynamoDB:UserIllegalArgumentException',
        message: expect.stringContaining('Invalid pagination token given.'),
      });
    }
    expect((await items().invoke({ operation: 'Scan', nextToken: token })).error?.type).toBe('DynamoDB:UserIllegalArgumentException');
    expect((await counters().invoke({ ...query, nextToken: token })).error?.type).toBe('DynamoDB:UserIllegalArgumentException');
    expect(ok(await items().invoke({ ...query, nextToken: token, limit: 1 })).items[0].sk).toBe('k005');
  });

  it('Scan supports parallel segments', async () => {
    const seen: string[] = [];
    for (const segment of [0, 1]) {
      let nextToken: string | null = null;
      do {
        const page: any = ok(await items().invoke({ operation: 'Scan', segment, totalSegments: 2, nextToken, filter: { expression: 'pk = :pk', expressionValues: { ':pk': S('page') } } }));
        seen.push(...page.items.map((item: any) => item.sk));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    expect(new Set(seen).size).toBe(250);
  });
});

describe('batch operations', () => {
  it('BatchPutItem, BatchGetItem (request order, null when absent) and BatchDeleteItem across tables', async () => {
    const [itemsTable, countersTable] = [physical('Items'), physical('Counters')];
    const put: any = ok(
      await items().invoke({
        operation: 'BatchPutItem',
        tables: { [itemsTable]: [{ ...key('b', '1'), n: { N: 1 } }, { ...key('b', '2'), n: { N: 2 } }], [countersTable]: [{ id: S('b1'), n: { N: 5 } }] },
      }),
    );
    expect(put).toEqual({
      data: { [itemsTable]: [{ pk: 'b', sk: '1', n: 1 }, { pk: 'b', sk: '2', n: 2 }], [countersTable]: [{ id: 'b1', n: 5 }] },
      unprocessedItems: { [itemsTable]: [], [countersTable]: [] },
    });
    const got: any = ok(
      await items().invoke({
        operation: 'BatchGetItem',
        tables: {
          [itemsTable]: { keys: [key('b', '2'), key('b', 'nope'), key('b', '1')], consistentRead: true },
          [countersTable]: { keys: [{ id: S('b1') }], projection: { expression: '#n', expressionNames: { '#n': 'n' } } },
        },
      }),
    );
    expect(got).toEqual({
      data: { [itemsTable]: [{ pk: 'b', sk: '2', n: 2 }, null, { pk: 'b', sk: '1', n: 1 }], [countersTable]: [{ id: 'b1', n: 5 }] },
      unprocessedKeys: { [itemsTable]: [], [countersTable]: [] },
    });
    const deleted: any = ok(await items().invoke({ operation: 'BatchDeleteItem', tables: { [itemsTable]: [key('b', '1'), key('b', '2')] } }));
    expect(deleted).toEqual({ data: { [itemsTable]: [{ pk: 'b', sk: '1' }, { pk: 'b', sk: '2' }] }, unprocessedKeys: { [itemsTable]: [] } });
    expect(ok(await items().invoke({ operation: 'GetItem', key: key('b', '1') }))).toBeNull();
  });
});

describe('transactions', () => {
  it('TransactGetItems returns items in order with null for a missing one', async () => {
    ok(await counters().invoke({ operation: 'PutItem', key: { id: S('t1') }, attributeValues: { n: { N: 1 } } }));
    const got = ok(
      await items().invoke({
        operation: 'TransactGetItems',
        transactItems: [
          { table: physical('Counters'), key: { id: S('t1') } },
          { table: physical('Items'), key: key('t', 'missing') },
        ],
      }),
    );
    expect(got).toEqual({ items: [{ id: 't1', n: 1 }, null], cancellationReasons: null });
  });

  it('TransactWriteItems returns the keys; one failing condition cancels all with cancellationReasons', async () => {
    const [itemsTable, countersTable] = [physical('Items'), physical('Counters')];
    ok(await counters().invoke({ operation: 'PutItem', key: { id: S('tc') }, attributeValues: {} }));
    const written = ok(
      await items().invoke({
        operation: 'TransactWriteItems',
        transactItems: [
          { table: itemsTable, operation: 'PutItem', key: key('tx', '1'), attributeValues: { n: { N: 1 } }, condition: { expression: 'attribute_not_exists(pk)' } },
          { table: countersTable, operation: 'UpdateItem', key: { id: S('t1') }, update: { expression: 'ADD n :one', expressionValues: { ':one': { N: 1 } } } },
          { table: countersTable, operation: 'ConditionCheck', key: { id: S('tc') }, condition: { expression: 'attribute_exists(id)' } },
        ],
      }),
    );
    expect(written).toEqual({ keys: [{ pk: 'tx', sk: '1' }, { id: 't1' }, { id: 'tc' }], cancellationReasons: null });

    const cancelled = await items().invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: itemsTable, operation: 'PutItem', key: key('tx', '2'), attributeValues: { n: { N: 2 } } },
        { table: countersTable, operation: 'UpdateItem', key: { id: S('t1') }, update: { expression: 'SET n = :n', expressionValues: { ':n': { N: 99 } } }, condition: { expression: 'n = :old', expressionValues: { ':old': { N: 1 } } } },
        { table: itemsTable, operation: 'DeleteItem', key: key('tx', '1'), condition: { expression: 'n = :one', expressionValues: { ':one': { N: 7 } }, returnValuesOnConditionCheckFailure: false } },
      ],
    });
    expect(cancelled.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(cancelled.result).toEqual({
      keys: null,
      cancellationReasons: [
        { type: 'None', message: 'None' },
        { type: 'ConditionalCheckFailed', message: expect.any(String), item: { id: 't1', n: 2 } },
        { type: 'ConditionalCheckFailed', message: expect.any(String) },
      ],
    });
    expect(ok(await items().invoke({ operation: 'GetItem', key: key('tx', '2') }))).toBeNull();
    expect(ok(await counters().invoke({ operation: 'GetItem', key: { id: S('t1') } }))).toEqual({ id: 't1', n: 2 });
  });
});

describe('malformed requests never throw', () => {
  it.each([
    ['not an object', 'GetItem'],
    ['unknown operation', { operation: 'Explode' }],
    ['no operation', { key: { id: S('x') } }],
    ['missing key', { operation: 'GetItem' }],
    ['untyped key value', { operation: 'GetItem', key: { id: 'x' } }],
    ['bad number', { operation: 'PutItem', key: { id: S('x') }, attributeValues: { n: { N: 'ten' } } }],
    ['missing update', { operation: 'UpdateItem', key: { id: S('x') } }],
    ['missing query', { operation: 'Query' }],
    ['Sync is not supported', { operation: 'Sync' }],
    ['empty tables', { operation: 'BatchGetItem', tables: {} }],
    ['bad transact operation', { operation: 'TransactWriteItems', transactItems: [{ table: 't', operation: 'Nope', key: { id: S('x') } }] }],
  ])('%s', async (_name, request) => {
    const outcome = await counters().invoke(request);
    expect(outcome.result).toBeNull();
    expect(outcome.error?.type).toBe('MappingTemplate');
    expect(outcome.error?.message).toEqual(expect.any(String));
  });

  it('passes DynamoDB errors through as DynamoDB:<ExceptionName>', async () => {
    const bad = await counters().invoke({ operation: 'Query', query: { expression: 'nonsense ===' } });
    expect(bad.error?.type).toBe('DynamoDB:ValidationException');
    const missing = await createDynamoDBDataSource({ client, tableName: `${prefix}Nope`, tokens }).invoke({ operation: 'GetItem', key: { id: S('x') } });
    expect(missing.error?.type).toBe('DynamoDB:ResourceNotFoundException');
  });
});
