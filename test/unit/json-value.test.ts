import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '../../local/appsync/json-value.ts';

const viaJson = (value: unknown) => (value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null'));

describe('toJsonValue: what JSON.parse(JSON.stringify()) gives, faster', () => {
  it.each([
    ['plain data', { a: 1, b: 'x', c: true, d: null, e: [1, 'two', { f: [] }] }],
    ['undefined in objects and arrays', { a: undefined, b: [undefined, 1] }],
    ['functions and symbols', { f: () => 1, s: Symbol('s'), list: [() => 1, Symbol('t')] }],
    ['non-finite numbers', { nan: NaN, inf: Infinity, list: [-Infinity] }],
    ['toJSON (dates)', { at: new Date('2026-11-20T10:00:00Z'), custom: { toJSON: () => ({ replaced: true }) } }],
    ['top-level undefined', undefined],
    ['top-level scalars', 'text'],
    ['nested arrays', [[[1]], [[2, [3]]]]],
  ])('%s', (_, value) => {
    expect(toJsonValue(value)).toEqual(viaJson(value));
  });

  it('copies values out of a vm realm into plain main-realm objects', () => {
    const fromSandbox = vm.runInNewContext('({ items: [{ id: "1" }], when: new Date(0) })');
    const copied = toJsonValue(fromSandbox) as { items: object[] };
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Array.isArray(copied.items) && copied.items instanceof Array).toBe(true);
    expect(copied).toEqual({ items: [{ id: '1' }], when: '1970-01-01T00:00:00.000Z' });
  });

  it('refuses cycles and BigInt as JSON.stringify does', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => toJsonValue(cycle)).toThrow(TypeError);
    expect(() => toJsonValue({ big: 1n })).toThrow(TypeError);
  });
});
