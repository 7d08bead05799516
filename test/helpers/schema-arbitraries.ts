/**
 * fast-check arbitraries built from the schema's own input types, so every mutation is fuzzed
 * with what it declares (and a new argument is fuzzed the day it is added). Values are mostly
 * well typed and near the limits the resolvers enforce; at any node a hostile value (wrong type,
 * huge, odd unicode, null) may take the place of the right one.
 */
import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  getNamedType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';

/** Real ids the generator mixes in, so some cases reach the rows they name. */
export interface IdPool {
  ids: () => readonly string[];
}

/** Lengths around the limits the API enforces (titles 200, labels 32, names 100, comments 5,000...). */
const EDGE_LENGTHS = [0, 1, 2, 31, 32, 33, 64, 65, 100, 101, 127, 128, 129, 199, 200, 201, 2048, 2049, 4999, 5000, 5001, 9999, 10000, 10001, 100_000];

/** Characters that break naive code: NUL, a lone surrogate, an emoji (2 UTF-16 units), RTL, zero width, quotes. */
const ODD_CHARS = ['x', ' ', 'é', '😀', '\u0000', '\ud800', '\udfff', '\u202e', '\u200b', '"', '\\', '<', '\n', '\t', '%', '$', '{'];

/** Strings a real client would send and strings none would. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.record({ n: fc.constantFrom(...EDGE_LENGTHS), c: fc.constantFrom(...ODD_CHARS) }).map(({ n, c }) => c.repeat(n)),
  fc.constantFrom('', ' ', '   ', 'null', 'undefined', 'NaN', '__proto__', 'constructor', '../../etc/passwd', "'; DROP TABLE Tasks; --", '${7*7}', '<script>alert(1)</script>', '%s%s%s%n'),
);

/** A value of any JSON type, the wrong one for most places. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 1e308, -0, true, false) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  // Parsed, not written as a literal: a literal `__proto__` sets the prototype instead of a key.
  { weight: 1, arbitrary: fc.constant(null).map(() => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown) },
  { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 1000, maxLength: 1000 }) },
);

const ISO_DATE = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true });

/** Well-typed values for AppSync's and GraphQL's scalars, edge cases included. */
function scalarValue(name: string, pool: IdPool): fc.Arbitrary<unknown> {
  switch (name) {
    case 'ID':
      return fc.oneof({ weight: 3, arbitrary: fc.nat().map((i) => pickFrom(pool.ids(), i)) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: fc.uuid() });
    case 'String':
      return fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }, { weight: 2, arbitrary: hostileString });
    case 'Int':
      return fc.oneof(fc.integer({ min: -3, max: 200 }), fc.constantFrom(0, 1, 25, 26, 50, 100, 101, 2 ** 31 - 1, -(2 ** 31)));
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 100, 100.0001, -1));
    case 'Boolean':
      return fc.boolean();
    case 'AWSEmail':
      return fc.oneof({ weight: 3, arbitrary: fc.emailAddress() }, { weight: 1, arbitrary: fc.constantFrom('a@b', 'A@B.CO', `${'a'.repeat(64)}@${'b'.repeat(250)}.com`, 'x@y.z', 'no-at-sign', '@', 'a@') });
    case 'AWSDate':
      return fc.oneof({ weight: 3, arbitrary: ISO_DATE.map((d) => d.toISOString().slice(0, 10)) }, { weight: 1, arbitrary: fc.constantFrom('2026-02-29', '2024-02-29', '0000-01-01', '2026-13-01', '2026-01-01Z', '2026-01-01+14:00') });
    case 'AWSDateTime':
      return fc.oneof({ weight: 3, arbitrary: ISO_DATE.map((d) => d.toISOString()) }, { weight: 1, arbitrary: fc.constantFrom('2026-11-20T10:00:00+01:00', '2026-11-20T25:00:00Z', '2026-11-20T10:00:00', '9999-12-31T23:59:59.999Z') });
    case 'AWSTimestamp':
      return fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(-1, 2 ** 53));
    case 'AWSJSON':
      return fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constantFrom('{', 'undefined', '"\\ud800"', '[]'));
    case 'AWSURL':
      return fc.oneof(fc.webUrl(), hostileString);
    default:
      return hostileValue;
  }
}

/** The i-th (modulo) of the pool's ids: drawn by fast-check, so a seed replays the same choice. */
function pickFrom(values: readonly string[], i: number): string {
  return values.length ? values[i % values.length]! : 'no-such-id';
}

/**
 * A value for `type`: well typed most of the time, near the API's limits; with `hostility`
 * (0-1) the chance at each node that a hostile value replaces it.
 */
export function inputValue(type: GraphQLInputType, pool: IdPool, hostility: number, depth = 0): fc.Arbitrary<unknown> {
  const typed = wellTyped(type, pool, hostility, depth);
  if (hostility <= 0) return typed;
  const weight = Math.max(1, Math.round(1 / hostility) - 1);
  return fc.oneof({ weight, arbitrary: typed }, { weight: 1, arbitrary: hostileValue });
}

function wellTyped(type: GraphQLInputType, pool: IdPool, hostility: number, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return inputValue(type.ofType, pool, hostility, depth);
  if (isListType(type)) {
    const item = inputValue(type.ofType, pool, hostility, depth + 1);
    return fc.oneof({ weight: 4, arbitrary: fc.array(item, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(item, { minLength: 9, maxLength: 30 }) }, { weight: 1, arbitrary: item });
  }
  if (isEnumType(type)) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: fc.constantFrom('SIDEWAYS', 'todo', '') });
  if (isScalarType(type)) return scalarValue(type.name, pool);
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const shape = Object.fromEntries(fields.map((f) => [f.name, depth > 4 ? fc.constant(null) : inputValue(f.type, pool, hostility, depth + 1)]));
    const required = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    const record = fc.record(shape, { requiredKeys: required });
    // Sometimes an unknown field rides along, or a required one is missing.
    const variants = [
      { weight: 8, arbitrary: record },
      { weight: 1, arbitrary: record.map((r) => ({ ...r, unexpected: 'field' })) },
    ];
    if (required.length) variants.push({ weight: 1, arbitrary: record.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== required[0]))) });
    return fc.oneof(...variants);
  }
  return hostileValue;
}

/** Every leaf field of an output type, for a selection set that reads back what a mutation made. */
export function leafSelection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named) || !isObjectType(named)) return '';
  const leaves = Object.values(named.getFields() as Record<string, GraphQLField<unknown, unknown>>)
    .filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type)))
    .map((f) => f.name);
  return `{ ${leaves.join(' ')} }`;
}
