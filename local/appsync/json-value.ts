/** Nesting beyond this is treated as a cycle, as JSON.stringify treats one. */
const MAX_DEPTH = 1000;

/**
 * A value as it comes out of `JSON.parse(JSON.stringify(value))`, which is how values cross
 * AppSync between resolver code and the data source or GraphQL, but about five times faster:
 * `undefined`, functions and symbols are dropped from objects and become null in arrays,
 * non-finite numbers become null, `toJSON` is honoured, and the copy is plain main-realm data
 * (nothing of the sandbox's realm survives). Throws a TypeError on cycles, like JSON.stringify.
 */
export function toJsonValue(value: unknown): unknown {
  const converted = convert(value, 0);
  return converted === undefined ? null : converted;
}

function convert(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new TypeError('Converting circular structure to JSON');
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      break;
    default:
      return undefined;
  }
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return convert(object.toJSON(), depth + 1);
  if (Array.isArray(object)) {
    const out = new Array<unknown>(object.length);
    for (let i = 0; i < object.length; i++) {
      const item = convert(object[i], depth + 1);
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const item = convert(object[key], depth + 1);
    if (item !== undefined) out[key] = item;
  }
  return out;
}
