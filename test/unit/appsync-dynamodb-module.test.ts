// `@aws-appsync/utils/dynamodb` builds data-source request objects. The first three cases are
// outputs recorded from AppSync; the rest pin the naming AppSync uses for conditions, key
// conditions, projections and every update operation.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as ddb from '../../local/appsync/runtime/dynamodb-module.ts';

describe('recorded AppSync outputs', () => {
  it('get', () => {
    expect(ddb.get({ key: { id: 'id' } })).toEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
  });

  it('put', () => {
    expect(ddb.put({ key: { id: 'abc' }, item: { value: 10 } })).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'abc' } },
      attributeValues: { value: { N: 10 } },
    });
  });

  it('update with operations.add', () => {
    expect(ddb.update({ key: { id: 'test' }, update: { age: ddb.operations.add(10) } })).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'test' } },
      update: {
        expression: 'SET #expName_1 = :expValue_1',
        expressionNames: { '#expName_1': 'age' },
        expressionValues: { ':expValue_1': { N: 10 } },
      },
    });
  });

  it('update with bare values, nulls included, numbers its placeholders in order', () => {
    expect(ddb.update({ key: { id: 'u' }, update: { name: 'Toni', imageUrl: null, bio: 'b' } }).update).toEqual({
      expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3',
      expressionNames: { '#expName_1': 'name', '#expName_2': 'imageUrl', '#expName_3': 'bio' },
      expressionValues: { ':expValue_1': { S: 'Toni' }, ':expValue_2': { NULL: null }, ':expValue_3': { S: 'b' } },
    });
  });
});

describe('get, put and remove options', () => {
  it('get with consistentRead and a projection aliasing every path segment', () => {
    expect(ddb.get({ key: { pk: 'a', sk: 2 }, consistentRead: true, projection: ['id', 'nested.field', 'list[1].id'] })).toEqual({
      operation: 'GetItem',
      key: { pk: { S: 'a' }, sk: { N: 2 } },
      consistentRead: true,
      projection: {
        expression: '#expName_1, #expName_2.#expName_3, #expName_4[1].#expName_1',
        expressionNames: { '#expName_1': 'id', '#expName_2': 'nested', '#expName_3': 'field', '#expName_4': 'list' },
      },
    });
  });

  it('put with a condition uses the util.transform naming, as an object', () => {
    expect(ddb.put({ key: { id: '1' }, item: { id: '1', done: false }, condition: { id: { attributeExists: false } }, _version: 3 })).toEqual({
      operation: 'PutItem',
      key: { id: { S: '1' } },
      attributeValues: { id: { S: '1' }, done: { BOOL: false } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
      _version: 3,
    });
  });

  it('remove with a condition binding a value', () => {
    expect(ddb.remove({ key: { id: '1' }, condition: { owner: { eq: 'me' } } })).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: '1' } },
      condition: { expression: '(#owner = :owner_eq)', expressionNames: { '#owner': 'owner' }, expressionValues: { ':owner_eq': { S: 'me' } } },
    });
  });

  it('an unrenderable condition is an error rather than an unguarded write', () => {
    expect(() => ddb.put({ key: { id: '1' }, item: {}, condition: { owner: { bogus: 1 } } })).toThrow(/condition object cannot be rendered/);
    expect(() => ddb.get({ key: 'x' } as never)).toThrow(/key must be an object/);
  });
});

describe('update operations', () => {
  const expressionOf = (update: Record<string, unknown>) => ddb.update({ key: { id: 'k' }, update }).update;

  it('replace, remove, increment, decrement', () => {
    expect(expressionOf({ a: ddb.operations.replace({ x: 1 }) })).toEqual({
      expression: 'SET #expName_1 = :expValue_1',
      expressionNames: { '#expName_1': 'a' },
      expressionValues: { ':expValue_1': { M: { x: { N: 1 } } } },
    });
    expect(expressionOf({ a: ddb.operations.remove() })).toEqual({ expression: 'REMOVE #expName_1', expressionNames: { '#expName_1': 'a' }, expressionValues: {} });
    expect(expressionOf({ n: ddb.operations.increment() })).toEqual({
      expression: 'SET #expName_1 = #expName_1 + :expValue_1',
      expressionNames: { '#expName_1': 'n' },
      expressionValues: { ':expValue_1': { N: 1 } },
    });
    expect(expressionOf({ n: ddb.operations.decrement(5) })).toEqual({
      expression: 'SET #expName_1 = #expName_1 - :expValue_1',
      expressionNames: { '#expName_1': 'n' },
      expressionValues: { ':expValue_1': { N: 5 } },
    });
  });

  it('append, prepend, updateListItem', () => {
    expect(expressionOf({ l: ddb.operations.append([1, 2]) })).toEqual({
      expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1)',
      expressionNames: { '#expName_1': 'l' },
      expressionValues: { ':expValue_1': { L: [{ N: 1 }, { N: 2 }] } },
    });
    expect(expressionOf({ l: ddb.operations.prepend(['x']) })).toEqual({
      expression: 'SET #expName_1 = list_append(:expValue_1, #expName_1)',
      expressionNames: { '#expName_1': 'l' },
      expressionValues: { ':expValue_1': { L: [{ S: 'x' }] } },
    });
    expect(expressionOf({ l: [ddb.operations.updateListItem('102', 1), ddb.operations.updateListItem('112', 2)] })).toEqual({
      expression: 'SET #expName_1[1] = :expValue_1, #expName_1[2] = :expValue_2',
      expressionNames: { '#expName_1': 'l' },
      expressionValues: { ':expValue_1': { S: '102' }, ':expValue_2': { S: '112' } },
    });
  });

  it('a bare nested object updates only the keys it names; SET comes before REMOVE', () => {
    expect(expressionOf({ gone: ddb.operations.remove(), address: { city: 'Oslo', zip: ddb.operations.replace(null) }, tags: ['a'] })).toEqual({
      expression: 'SET #expName_1.#expName_2 = :expValue_1, #expName_1.#expName_3 = :expValue_2, #expName_4 = :expValue_3 REMOVE #expName_5',
      expressionNames: { '#expName_1': 'address', '#expName_2': 'city', '#expName_3': 'zip', '#expName_4': 'tags', '#expName_5': 'gone' },
      expressionValues: { ':expValue_1': { S: 'Oslo' }, ':expValue_2': { NULL: null }, ':expValue_3': { L: [{ S: 'a' }] } },
    });
  });

  it('undefined values are left out, and a condition rides along', () => {
    expect(ddb.update({ key: { id: 'k' }, update: { a: 1, b: undefined }, condition: { id: { attributeExists: true } } })).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'k' } },
      update: { expression: 'SET #expName_1 = :expValue_1', expressionNames: { '#expName_1': 'a' }, expressionValues: { ':expValue_1': { N: 1 } } },
      condition: { expression: '(attribute_exists(#id))', expressionNames: { '#id': 'id' } },
    });
  });

  it('the operation markers carry the declared _type', () => {
    expect(ddb.operations.add(1)).toEqual({ _type: 'add', value: 1 });
    expect(ddb.operations.remove()).toEqual({ _type: 'remove' });
    expect(ddb.operations.increment()).toEqual({ _type: 'increment', by: 1 });
    expect(ddb.operations.updateListItem('x', 3)).toEqual({ _type: 'updateListItem', value: 'x', index: 3 });
  });
});

describe('query, scan and sync', () => {
  it('query renders the key condition and filter, and copies the options given', () => {
    expect(
      ddb.query({
        query: { pk: { eq: 'user#1' }, sk: { beginsWith: 'task#' } },
        filter: { or: [{ done: { eq: false } }, { priority: { gt: 2 } }] },
        index: 'byUser',
        limit: 20,
        nextToken: 'tok',
        scanIndexForward: false,
        consistentRead: false,
        select: 'ALL_ATTRIBUTES',
        projection: ['id'],
      }),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '(#pk = :pk_eq) AND (begins_with(#sk,:sk_beginsWith))',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': { S: 'user#1' }, ':sk_beginsWith': { S: 'task#' } },
      },
      filter: {
        expression: '((#done = :or_0_done_eq) OR (#priority > :or_1_priority_gt))',
        expressionNames: { '#done': 'done', '#priority': 'priority' },
        expressionValues: { ':or_0_done_eq': { BOOL: false }, ':or_1_priority_gt': { N: 2 } },
      },
      index: 'byUser',
      limit: 20,
      nextToken: 'tok',
      scanIndexForward: false,
      consistentRead: false,
      select: 'ALL_ATTRIBUTES',
      projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'id' } },
    });
  });

  it('query key conditions between and comparisons', () => {
    expect(ddb.query({ query: { pk: { eq: 1 }, sk: { between: [1, 5] } } }).query).toEqual({
      expression: '(#pk = :pk_eq) AND (#sk BETWEEN :sk_between_start AND :sk_between_end)',
      expressionNames: { '#pk': 'pk', '#sk': 'sk' },
      expressionValues: { ':pk_eq': { N: 1 }, ':sk_between_start': { N: 1 }, ':sk_between_end': { N: 5 } },
    });
  });

  it('scan leaves out null options', () => {
    expect(ddb.scan({ limit: 5, nextToken: null, segment: 0, totalSegments: 2, filter: { not: { a: { eq: 1 } } } })).toEqual({
      operation: 'Scan',
      limit: 5,
      segment: 0,
      totalSegments: 2,
      filter: { expression: '(NOT (#a = :not_a_eq))', expressionNames: { '#a': 'a' }, expressionValues: { ':not_a_eq': { N: 1 } } },
    });
    expect(ddb.scan({})).toEqual({ operation: 'Scan' });
  });

  it('sync', () => {
    expect(ddb.sync({ limit: 10, lastSync: 1700000000000, basePartitionKey: 'pk', deltaIndexName: 'delta' })).toEqual({
      operation: 'Sync',
      basePartitionKey: 'pk',
      deltaIndexName: 'delta',
      limit: 10,
      lastSync: 1700000000000,
    });
  });
});

describe('batch and transactions', () => {
  it('batchGet, batchPut, batchDelete', () => {
    expect(ddb.batchGet({ tables: { post: { keys: [{ id: '1' }, { id: '2' }], consistentRead: true, projection: ['id'] } } })).toEqual({
      operation: 'BatchGetItem',
      tables: {
        post: {
          keys: [{ id: { S: '1' } }, { id: { S: '2' } }],
          consistentRead: true,
          projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'id' } },
        },
      },
    });
    expect(ddb.batchPut({ tables: { post: [{ id: 'one', n: 1 }], comment: [{ id: 'c' }] } })).toEqual({
      operation: 'BatchPutItem',
      tables: { post: [{ id: { S: 'one' }, n: { N: 1 } }], comment: [{ id: { S: 'c' } }] },
    });
    expect(ddb.batchDelete({ tables: { post: [{ id: 'one' }, { id: 'two' }] } })).toEqual({
      operation: 'BatchDeleteItem',
      tables: { post: [{ id: { S: 'one' } }, { id: { S: 'two' } }] },
    });
  });

  it('transactGet', () => {
    expect(ddb.transactGet({ items: [{ table: 'post', key: { id: '1' }, projection: ['name'] }, { table: 'post', key: { id: '2' } }] })).toEqual({
      operation: 'TransactGetItems',
      transactItems: [
        { table: 'post', key: { id: { S: '1' } }, projection: { expression: '#expName_1', expressionNames: { '#expName_1': 'name' } } },
        { table: 'post', key: { id: { S: '2' } } },
      ],
    });
  });

  it('transactWrite with every kind of item', () => {
    expect(
      ddb.transactWrite({
        items: [
          { putItem: { table: 'post', key: { id: '1' }, item: { title: 't' }, condition: { id: { attributeExists: false } } } },
          { updateItem: { table: 'post', key: { id: '2' }, update: { views: ddb.operations.increment(2) } } },
          { deleteItem: { table: 'post', key: { id: '3' } } },
          { conditionCheck: { table: 'user', key: { id: 'u' }, condition: { role: { eq: 'admin' } } } },
        ],
      } as never),
    ).toEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'post',
          operation: 'PutItem',
          key: { id: { S: '1' } },
          attributeValues: { title: { S: 't' } },
          condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
        },
        {
          table: 'post',
          operation: 'UpdateItem',
          key: { id: { S: '2' } },
          update: {
            expression: 'SET #expName_1 = #expName_1 + :expValue_1',
            expressionNames: { '#expName_1': 'views' },
            expressionValues: { ':expValue_1': { N: 2 } },
          },
        },
        { table: 'post', operation: 'DeleteItem', key: { id: { S: '3' } } },
        {
          table: 'user',
          operation: 'ConditionCheck',
          key: { id: { S: 'u' } },
          condition: { expression: '(#role = :role_eq)', expressionNames: { '#role': 'role' }, expressionValues: { ':role_eq': { S: 'admin' } } },
        },
      ],
    });
    expect(() => ddb.transactWrite({ items: [{ bogus: {} }] } as never)).toThrow(/needs putItem, updateItem, deleteItem or conditionCheck/);
  });
});

describe('set helpers and the module object', () => {
  it('toStringSet, toNumberSet, toBinarySet', () => {
    expect(ddb.toStringSet(['a', 'b'])).toEqual({ SS: ['a', 'b'] });
    expect(ddb.toNumberSet([1, 2, 3])).toEqual({ NS: ['1', '2', '3'] });
    expect(ddb.toBinarySet(['SGVsbG8=', 'V29ybGQ='])).toEqual({ BS: ['SGVsbG8=', 'V29ybGQ='] });
  });

  it('dynamodbModule exposes every helper, frozen', () => {
    expect(Object.keys(ddb.dynamodbModule).sort()).toEqual(
      ['batchDelete', 'batchGet', 'batchPut', 'get', 'operations', 'put', 'query', 'remove', 'scan', 'sync', 'toBinarySet', 'toNumberSet', 'toStringSet', 'transactGet', 'transactWrite', 'update'].sort(),
    );
    expect(Object.isFrozen(ddb.dynamodbModule)).toBe(true);
    expect(Object.isFrozen(ddb.operations)).toBe(true);
  });

  it('accepts input built inside a vm sandbox and answers main-realm objects', () => {
    const input = vm.runInNewContext('({ key: { id: "s" }, update: { tags: ops.append(["x"]), meta: { n: 1 } } })', { ops: ddb.operations });
    const request = ddb.update(input);
    expect(request).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 's' } },
      update: {
        expression: 'SET #expName_1 = list_append(#expName_1, :expValue_1), #expName_2.#expName_3 = :expValue_2',
        expressionNames: { '#expName_1': 'tags', '#expName_2': 'meta', '#expName_3': 'n' },
        expressionValues: { ':expValue_1': { L: [{ S: 'x' }] }, ':expValue_2': { N: 1 } },
      },
    });
    expect(request.update.expressionValues[':expValue_1']).toBeInstanceOf(Object);
    expect((request.update.expressionValues[':expValue_1'] as { L: unknown }).L).toBeInstanceOf(Array);
  });
});
