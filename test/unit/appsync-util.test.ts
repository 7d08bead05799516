// The local `util` must answer what AppSync answers. Expected values come from the AWS docs
// (built-in-util-js, time-helpers-in-util-time, dynamodb-helpers-in-util-dynamodb) and from
// EvaluateCode output recorded against the real service.
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { createTimeUtils, formatEpoch, parseToEpoch } from '../../local/appsync/runtime/time.ts';
import { ResolverError, createUtil, type UtilHooks } from '../../local/appsync/runtime/util.ts';

function makeUtil(authType = 'API Key Authorization') {
  const appended: Parameters<UtilHooks['appendError']>[0][] = [];
  const util = createUtil({ appendError: (e) => appended.push(e), authType: () => authType });
  return { util, appended };
}

const { util } = makeUtil();
const filter = (input: unknown): unknown => {
  const out = util.transform.toDynamoDBFilterExpression(input);
  return out === null ? null : JSON.parse(out);
};

describe('ids', () => {
  it('autoId is a random v4 UUID', () => {
    const id = util.autoId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(util.autoId()).not.toBe(id);
  });

  it('autoUlid is a 26 character Crockford base32 ULID', () => {
    expect(util.autoUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(util.autoUlid()).not.toBe(util.autoUlid());
  });

  it('autoKsuid is 27 base62 characters', () => {
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(util.autoKsuid()).not.toBe(util.autoKsuid());
  });
});

describe('errors', () => {
  it('util.error throws a ResolverError carrying errorType, data and errorInfo', () => {
    let caught: unknown;
    try {
      util.error('Bad input', 'ValidationError', { field: 'title' }, { hint: 'shorter' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ResolverError);
    const error = caught as ResolverError;
    expect(error.message).toBe('Bad input');
    expect(error.errorType).toBe('ValidationError');
    expect(error.data).toEqual({ field: 'title' });
    expect(error.errorInfo).toEqual({ hint: 'shorter' });
    expect(error.unauthorized).toBeUndefined();
  });

  it('util.error with only a message leaves the optional fields unset', () => {
    try {
      util.error('plain');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ResolverError);
      expect({ ...(error as ResolverError) }).toEqual({ name: 'ResolverError' });
      expect((error as ResolverError).message).toBe('plain');
    }
  });

  it('util.unauthorized throws an Unauthorized ResolverError marked unauthorized', () => {
    try {
      util.unauthorized();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ResolverError);
      const e = error as ResolverError;
      expect([e.message, e.errorType, e.unauthorized]).toEqual(['Unauthorized', 'Unauthorized', true]);
    }
  });

  it('util.appendError reports through the hook and does not throw', () => {
    const { util: u, appended } = makeUtil();
    expect(u.appendError('first')).toBeUndefined();
    u.appendError('second', 'Custom', { a: 1 }, { b: 2 });
    expect(appended).toEqual([{ message: 'first' }, { message: 'second', errorType: 'Custom', data: { a: 1 }, errorInfo: { b: 2 } }]);
  });

  it('util.authType delegates to the hook', () => {
    expect(makeUtil('AWS Lambda Authorization').util.authType()).toBe('AWS Lambda Authorization');
  });
});

describe('matching and encoding', () => {
  it('util.matches needs the whole string to match, like Java String.matches', () => {
    expect(util.matches('a*b', 'aaaaab')).toBe(true);
    expect(util.matches('a*b', 'xaaab')).toBe(false);
    expect(util.matches('a*b', 'aaabx')).toBe(false);
    expect(util.matches('a|ab', 'ab')).toBe(true);
    expect(util.matches('(?i)hello', 'HeLLo')).toBe(true);
    expect(util.matches('[0-9]{3}', '123')).toBe(true);
  });

  it('util.escapeJavaScript escapes like escapeEcmaScript', () => {
    expect(util.escapeJavaScript(`it's "x" / \\ é\n\t`)).toBe(`it\\'s \\"x\\" \\/ \\\\ \\u00E9\\n\\t`);
  });

  it('util.urlEncode / urlDecode use application/x-www-form-urlencoded', () => {
    expect(util.urlEncode("a b*c~!'()&é.-_")).toBe('a+b*c%7E%21%27%28%29%26%C3%A9.-_');
    expect(util.urlDecode('a+b%26c%C3%A9')).toBe('a b&cé');
  });

  it('util.base64Encode / base64Decode work on UTF-8 strings', () => {
    expect(util.base64Encode('hello é')).toBe('aGVsbG8gw6k=');
    expect(util.base64Decode('aGVsbG8gw6k=')).toBe('hello é');
  });
});

describe('util.time', () => {
  // The instant of the AWS documentation's examples.
  const time = createTimeUtils(() => 1517943695758);

  it('reads the clock', () => {
    expect(time.nowISO8601()).toBe('2018-02-06T19:01:35.758Z');
    expect(time.nowEpochSeconds()).toBe(1517943695);
    expect(time.nowEpochMilliSeconds()).toBe(1517943695758);
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe('2018-02-07 03:01:35+0800');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
  });

  it('util.time uses the real clock', () => {
    const before = Date.now();
    const now = util.time.nowEpochMilliSeconds();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('parses formatted and ISO 8601 timestamps', () => {
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:05.000+0000', 'yyyy-MM-dd HH:mm:ss.SSSZ')).toBe(1517505665000);
    expect(time.parseFormattedToEpochMilliSeconds('2018-01-31 16:21:05', 'yyyy-MM-dd HH:mm:ss', '-08:00')).toBe(1517444465000);
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-02 01:21:05', 'yyyy-MM-dd HH:mm:ss', 'Australia/Perth')).toBe(1517505665000);
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05Z')).toBe(1517505665000);
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T19:21:05.5+02:00')).toBe(1517505665500);
    // no offset means UTC, never the server's local zone
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05')).toBe(1517505665000);
    expect(() => time.parseISO8601ToEpochMilliSeconds('yesterday')).toThrow(/ISO 8601/);
    expect(() => time.parseFormattedToEpochMilliSeconds('2018/02/01', 'yyyy-MM-dd')).toThrow(/does not match/);
  });

  it('converts epoch milliseconds', () => {
    expect(time.epochMilliSecondsToSeconds(1517943695758)).toBe(1517943695);
    expect(time.epochMilliSecondsToISO8601(1517943695758)).toBe('2018-02-06T19:01:35.758Z');
    expect(time.epochMilliSecondsToFormatted(1517943695758, 'yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.epochMilliSecondsToFormatted(1517943695758, 'yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe('2018-02-07 03:01:35+0800');
  });

  it('supports the common DateTimeFormatter letters and quoting', () => {
    const ms = Date.UTC(2024, 6, 3, 9, 46, 40, 123);
    expect(formatEpoch(ms, "EEEE, MMMM d yyyy h:mm a z", 'America/New_York')).toBe('Wednesday, July 3 2024 5:46 AM EDT');
    expect(formatEpoch(ms, "EEE dd MMM yy 'at' HH:mm:ss.SSS XXX", 'Asia/Kolkata')).toBe('Wed 03 Jul 24 at 15:16:40.123 +05:30');
    expect(formatEpoch(ms, "yyyy-MM-dd'T'HH:mm:ssX")).toBe('2024-07-03T09:46:40Z');
    expect(formatEpoch(ms, "D ''k'' K ZZZZZ", 'America/New_York')).toBe("185 '5' 5 -04:00");
    expect(parseToEpoch('03/Jul/2024 05:46:40 AM', 'dd/MMM/yyyy hh:mm:ss a', 'America/New_York')).toBe(Date.UTC(2024, 6, 3, 9, 46, 40));
    expect(() => formatEpoch(ms, 'Q')).toThrow(/pattern letter "Q" is not supported/);
    expect(() => formatEpoch(ms, 'yyyy', 'Mars/Olympus')).toThrow(/unknown timezone/);
  });
});

describe('util.str and util.math', () => {
  it('util.str helpers', () => {
    expect(util.str.normalize('e\u0301', 'nfc')).toBe('\u00e9');
    expect(util.str.normalize('\u00e9', 'nfd')).toBe('e\u0301');
    expect(util.str.normalize('\ufb01', 'nfkc')).toBe('fi');
    expect(() => util.str.normalize('x', 'bogus' as 'nfc')).toThrow(/unknown normalization type/);
    expect(util.str.toUpper('abc')).toBe('ABC');
    expect(util.str.toLower('ABC')).toBe('abc');
    expect(util.str.toReplace('a.b.c', '.', '-')).toBe('a-b-c');
  });

  it('util.math helpers', () => {
    expect([util.math.roundNum(2.5), util.math.roundNum(2.4), util.math.roundNum(-2.5)]).toEqual([3, 2, -2]);
    expect(util.math.minVal(3, 1.5)).toBe(1.5);
    expect(util.math.maxVal(3, 1.5)).toBe(3);
    const d = util.math.randomDouble();
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(1);
    const seen = new Set(Array.from({ length: 200 }, () => util.math.randomWithinRange(1, 3)));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });
});

describe('util.dynamodb', () => {
  it('toDynamoDB keeps numbers as numbers', () => {
    expect(util.dynamodb.toDynamoDB(12345)).toEqual({ N: 12345 });
    expect(util.dynamodb.toDynamoDB('test')).toEqual({ S: 'test' });
    expect(util.dynamodb.toDynamoDB(true)).toEqual({ BOOL: true });
    expect(util.dynamodb.toDynamoDB(null)).toEqual({ NULL: null });
    expect(util.dynamodb.toDynamoDB(undefined)).toBeNull();
    expect(util.dynamodb.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'], gone: undefined })).toEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
    expect(util.dynamodb.toDynamoDB(new Date(Date.UTC(2020, 0, 1)))).toEqual({ S: '2020-01-01T00:00:00.000Z' });
  });

  it('the typed helpers', () => {
    const d = util.dynamodb;
    expect(d.toString('test')).toEqual({ S: 'test' });
    expect(d.toStringSet(['foo', 'bar', 'baz'])).toEqual({ SS: ['foo', 'bar', 'baz'] });
    expect(d.toNumber(12345)).toEqual({ N: 12345 });
    expect(d.toNumberSet([1, 23, 4.56])).toEqual({ NS: [1, 23, 4.56] });
    expect(d.toBinary('foo')).toEqual({ B: 'foo' });
    expect(d.toBinarySet(['foo', 'bar', 'baz'])).toEqual({ BS: ['foo', 'bar', 'baz'] });
    expect(d.toBoolean(true)).toEqual({ BOOL: true });
    expect(d.toNull()).toEqual({ NULL: null });
    expect(d.toList(['foo', 123, { bar: 'baz' }])).toEqual({ L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] });
    expect(d.toMap({ foo: 'bar', baz: 1234, beep: ['boop'] })).toEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
    expect(d.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'] })).toEqual({
      foo: { S: 'bar' },
      baz: { N: 1234 },
      beep: { L: [{ S: 'boop' }] },
    });
    for (const nullable of [d.toString, d.toStringSet, d.toNumber, d.toNumberSet, d.toBinary, d.toBinarySet, d.toBoolean]) {
      expect((nullable as (v: null) => unknown)(null)).toBeNull();
    }
    expect(d.toList('not a list')).toBeNull();
    expect(d.toMap('not a map')).toBeNull();
  });

  it('S3 objects', () => {
    expect(util.dynamodb.toS3Object('foo', 'bar', 'baz')).toEqual({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' });
    expect(util.dynamodb.toS3Object('foo', 'bar', 'baz', 'beep')).toEqual({
      S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}',
    });
    expect(util.dynamodb.fromS3ObjectJson('{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}')).toEqual({
      key: 'foo',
      bucket: 'bar',
      region: 'baz',
      version: 'beep',
    });
    expect(() => util.dynamodb.fromS3ObjectJson('{"x":1}')).toThrow(/not an S3 object/);
  });

  it('values built in another realm come out as main-realm plain objects', () => {
    const sandboxValue = vm.runInNewContext('({ list: [1, "a"], nested: { ok: true } })');
    const out = util.dynamodb.toMapValues(sandboxValue);
    expect(out).toEqual({ list: { L: [{ N: 1 }, { S: 'a' }] }, nested: { M: { ok: { BOOL: true } } } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Array.isArray((out as { list: { L: unknown } }).list.L)).toBe(true);
    expect((out as { list: { L: unknown } }).list.L).toBeInstanceOf(Array);
  });
});

describe('util.transform.toDynamoDBFilterExpression', () => {
  it('answers a JSON string', () => {
    expect(util.transform.toDynamoDBFilterExpression({ content: { contains: 'foo' } })).toBe(
      '{"expression":"(contains(#content,:content_contains))","expressionNames":{"#content":"content"},"expressionValues":{":content_contains":{"S":"foo"}}}',
    );
  });

  it.each([
    ['eq', '='],
    ['ne', '<>'],
    ['lt', '<'],
    ['le', '<='],
    ['gt', '>'],
    ['ge', '>='],
  ])('comparison %s', (op, symbol) => {
    expect(filter({ v: { [op]: 'x' } })).toEqual({
      expression: `(#v ${symbol} :v_${op})`,
      expressionNames: { '#v': 'v' },
      expressionValues: { [`:v_${op}`]: { S: 'x' } },
    });
  });

  it('function operators', () => {
    expect(filter({ v: { contains: 'x' } })).toMatchObject({ expression: '(contains(#v,:v_contains))' });
    expect(filter({ v: { notContains: 'x' } })).toMatchObject({
      expression: '(NOT contains(#v,:v_notContains))',
      expressionValues: { ':v_notContains': { S: 'x' } },
    });
    expect(filter({ v: { beginsWith: 'x' } })).toMatchObject({
      expression: '(begins_with(#v,:v_beginsWith))',
      expressionValues: { ':v_beginsWith': { S: 'x' } },
    });
  });

  it('between and in', () => {
    expect(filter({ v: { between: [1, 9, 3] } })).toEqual({
      expression: '(#v BETWEEN :v_between_start AND :v_between_end)',
      expressionNames: { '#v': 'v' },
      expressionValues: { ':v_between_start': { N: 1 }, ':v_between_end': { N: 9 } },
    });
    expect(filter({ v: { in: ['a', 'b'] } })).toEqual({
      expression: '(#v IN (:v_in_0, :v_in_1))',
      expressionNames: { '#v': 'v' },
      expressionValues: { ':v_in_0': { S: 'a' }, ':v_in_1': { S: 'b' } },
    });
    expect(filter({ v: { in: [] } })).toEqual({ expression: '(null)', expressionNames: { '#v': 'v' }, expressionValues: {} });
  });

  it('attributeExists, attributeType and size', () => {
    expect(filter({ v: { attributeExists: true } })).toEqual({ expression: '(attribute_exists(#v))', expressionNames: { '#v': 'v' }, expressionValues: {} });
    expect(filter({ v: { attributeExists: false } })).toMatchObject({ expression: '(attribute_not_exists(#v))' });
    const types = { a: '_null', b: 'string', c: 'stringSet', d: 'number', e: 'numberSet', f: 'binary', g: 'binarySet', h: 'boolean', i: 'list', j: 'map' };
    const codes = ['NULL', 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'L', 'M'];
    const typed = filter(Object.fromEntries(Object.entries(types).map(([k, t]) => [k, { attributeType: t }]))) as {
      expression: string;
      expressionValues: Record<string, unknown>;
    };
    expect(typed.expression).toBe(Object.keys(types).map((k) => `(attribute_type(#${k},:${k}_attributeType))`).join(' AND '));
    expect(Object.values(typed.expressionValues)).toEqual(codes.map((S) => ({ S })));
    expect(filter({ v: { size: { gt: 2, lt: 5 } } })).toEqual({
      expression: '((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))',
      expressionNames: { '#v': 'v' },
      expressionValues: { ':v_size_gt': { N: 2 }, ':v_size_lt': { N: 5 } },
    });
    expect(filter({ v: { size: { size: { gt: 1 } } } })).toMatchObject({ expression: '(size(#v) > :v_size_size_gt)' });
  });

  it('and, or, not and top-level fields', () => {
    expect(filter({ a: { eq: 1 }, b: { eq: 2 } })).toMatchObject({ expression: '(#a = :a_eq) AND (#b = :b_eq)' });
    expect(filter({ v: { ge: 1, le: 5 } })).toMatchObject({ expression: '((#v >= :v_ge) AND (#v <= :v_le))' });
    expect(filter({ and: [{ a: { eq: 1 } }] })).toMatchObject({ expression: '(#a = :and_0_a_eq)' });
    expect(filter({ or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] })).toEqual({
      expression: '(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))',
      expressionNames: { '#a': 'a', '#b': 'b', '#c': 'c' },
      expressionValues: { ':or_0_and_0_a_eq': { N: 1 }, ':or_0_and_1_b_eq': { N: 2 }, ':or_1_c_eq': { N: 3 } },
    });
    expect(filter({ not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } })).toMatchObject({
      expression: '(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))',
    });
    expect(filter({ a: { eq: 1 }, and: [{ b: { eq: 2 } }] })).toMatchObject({ expression: '(#a = :a_eq) AND (#b = :and_0_b_eq)' });
    expect(filter({ a: { eq: 1 }, b: {} })).toMatchObject({ expression: '(#a = :a_eq) AND ', expressionNames: { '#a': 'a', '#b': 'b' } });
    expect(filter({})).toEqual({ expression: '', expressionNames: {}, expressionValues: {} });
    expect(filter({ v: { eq: null } })).toMatchObject({ expressionValues: { ':v_eq': { NULL: null } } });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an array', []],
    ['a string', 'string'],
    ['an unknown operator', { v: { foo: 1 } }],
    ['a bare value', { v: 'x' }],
    ['a nested field', { a: { b: { eq: 1 } } }],
    ['an and of a map', { and: { a: { eq: 1 } } }],
    ['a null group member', { and: [{ a: { eq: 1 } }, null] }],
    ['a not of a list', { not: [{ a: { eq: 1 } }] }],
    ['a one-bound range', { v: { between: [1] } }],
    ['a non-list in', { v: { in: 'x' } }],
    ['a non-boolean attributeExists', { v: { attributeExists: 'yes' } }],
    ['a type code', { v: { attributeType: 'S' } }],
    ['a bare size', { v: { size: 3 } }],
  ])('answers null for %s', (_name, input) => {
    expect(util.transform.toDynamoDBFilterExpression(input as never)).toBeNull();
    expect(util.transform.toDynamoDBConditionExpression(input as never)).toBeNull();
  });

  it('toDynamoDBConditionExpression renders like the filter', () => {
    const condition = { and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }] };
    expect(JSON.parse(util.transform.toDynamoDBConditionExpression(condition) as string)).toEqual({
      expression: '((attribute_exists(#id)) AND (#_version = :and_1__version_eq))',
      expressionNames: { '#id': 'id', '#_version': '_version' },
      expressionValues: { ':and_1__version_eq': { N: 1 } },
    });
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  const one = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });

  it.each([
    ['eq', 1],
    ['ne', 'x'],
    ['le', 1],
    ['lt', 2],
    ['ge', 3],
    ['gt', 4],
    ['contains', 'x'],
    ['notContains', 'y'],
    ['beginsWith', 'z'],
    ['in', [1, 2]],
    ['notIn', ['x']],
    ['between', [1, 9]],
    ['containsAny', ['x', 'y']],
    ['attributeExists', true],
  ])('carries the %s operator through', (operator, value) => {
    expect(util.transform.toSubscriptionFilter({ a: { [operator]: value } })).toEqual({ filterGroup: [{ filters: [one('a', operator, value)] }] });
  });

  it('fields and and-members are one group; or-members and extra operators multiply groups', () => {
    expect(util.transform.toSubscriptionFilter({ z: { eq: 0 }, and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toEqual({
      filterGroup: [{ filters: [one('z', 'eq', 0), one('a', 'eq', 1), one('b', 'eq', 2)] }],
    });
    expect(util.transform.toSubscriptionFilter({ a: { eq: 1 }, or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] })).toEqual({
      filterGroup: [{ filters: [one('a', 'eq', 1), one('b', 'eq', 2)] }, { filters: [one('a', 'eq', 1), one('c', 'eq', 3)] }],
    });
    expect(util.transform.toSubscriptionFilter({ a: { eq: 1, ne: 2 } })).toEqual({
      filterGroup: [{ filters: [one('a', 'eq', 1)] }, { filters: [one('a', 'ne', 2)] }],
    });
  });

  it('ignored fields and rules', () => {
    expect(util.transform.toSubscriptionFilter({ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ['b'])).toEqual({
      filterGroup: [{ filters: [one('a', 'eq', 1)] }],
    });
    expect(util.transform.toSubscriptionFilter({ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: 'p' } } as never)).toEqual({
      filterGroup: [{ filters: [one('a', 'eq', 1), one('r1', 'gte', 250)] }, { filters: [one('a', 'eq', 1), one('r2', 'eq', 'p')] }],
    });
    expect(util.transform.toSubscriptionFilter({}, [], { r1: { eq: 1 } })).toEqual({ filterGroup: [{ filters: [one('r1', 'eq', 1)] }] });
  });

  it('copies values built in a vm sandbox into main-realm arrays', () => {
    const sandboxFilter = vm.runInNewContext('({ or: [{ a: { in: [1, 2] } }, { b: { eq: 1 } }] })');
    const out = util.transform.toSubscriptionFilter(sandboxFilter);
    expect(out).toEqual({ filterGroup: [{ filters: [one('a', 'in', [1, 2])] }, { filters: [one('b', 'eq', 1)] }] });
    expect(out?.filterGroup[0].filters[0].value).toBeInstanceOf(Array);
  });

  it('empty and unreadable filters', () => {
    expect(util.transform.toSubscriptionFilter({})).toEqual({ filterGroup: [] });
    expect(util.transform.toSubscriptionFilter({ and: [] })).toEqual({ filterGroup: [] });
    expect(util.transform.toSubscriptionFilter({ a: {} })).toEqual({ filterGroup: [] });
    expect(util.transform.toSubscriptionFilter(null as never)).toBeNull();
    expect(util.transform.toSubscriptionFilter([] as never)).toBeNull();
    expect(util.transform.toSubscriptionFilter('{"a":{"eq":1}}' as never)).toBeNull();
  });
});

describe('unsupported members and immutability', () => {
  it.each([
    ['transform.toElasticsearchQueryDSL', () => util.transform.toElasticsearchQueryDSL({})],
    ['rds.toJsonObject', () => util.rds.toJsonObject('{}')],
    ['http.copyHeaders', () => util.http.copyHeaders({})],
    ['http.addResponseHeader', () => util.http.addResponseHeader('a', 1)],
    ['http.addResponseHeaders', () => util.http.addResponseHeaders({})],
    ['xml.toMap', () => util.xml.toMap('<a/>')],
    ['xml.toJsonString', () => util.xml.toJsonString('<a/>')],
  ])('util.%s throws a clear error', (name, call) => {
    expect(call).toThrow(`util.${name} is not supported by the local runtime`);
  });

  it('the util object is frozen', () => {
    expect(Object.isFrozen(util)).toBe(true);
    expect(Object.isFrozen(util.dynamodb)).toBe(true);
    expect(() => {
      (util as unknown as Record<string, unknown>).autoId = vi.fn();
    }).toThrow(TypeError);
  });
});
