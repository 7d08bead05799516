// Conversions from resolver values into the shapes AppSync hands to DynamoDB and to the real-time
// filter engine: typed attribute values, filter/condition expressions, subscription filters.
//
// Values arrive from a node:vm sandbox, so nothing here may rely on the main realm's prototypes
// (`instanceof Array`, `Object.prototype` identity); every output is a fresh main-realm object.

/** A DynamoDB typed value as AppSync writes it: numbers stay JS numbers (`{ N: 12 }`). */
export type AttributeValue =
  | { S: string }
  | { N: number }
  | { BOOL: boolean }
  | { NULL: null }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: number[] }
  | { B: string }
  | { BS: string[] };

/** The `{ expression, expressionNames, expressionValues }` triple shared by every expression. */
export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

/** One entry of an enhanced subscription filter group. */
export interface SubscriptionFilterEntry {
  fieldName: string;
  operator: string;
  value: unknown;
}

/** The object `extensions.setSubscriptionFilter` takes: AND inside a group, OR across groups. */
export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterEntry[] }[];
}

/** True for a non-null, non-array object from any realm (sandbox objects included). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own entries without `undefined` values, as JSON would see them (optional args are left out). */
function definedEntries(obj: Record<string, unknown>): [string, unknown][] {
  return Object.entries(obj).filter(([, v]) => v !== undefined);
}

/**
 * Converts a JS value to its DynamoDB typed form the way `util.dynamodb.toDynamoDB` does: lists
 * become `L` (never sets), objects `M`, numbers stay numbers. `undefined` answers `null` because
 * there is nothing to store; inside objects it is dropped and inside lists it becomes NULL, which
 * is what a JSON round trip of the resolver's return value would do.
 */
export function toAttributeValue(value: unknown): AttributeValue | null {
  if (value === undefined) return null;
  return convert(value);
}

function convert(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'bigint') return { N: Number(value) };
  // Array.from, not .map: .map on a sandbox array would build a sandbox-realm array.
  if (Array.isArray(value)) return { L: Array.from(value, (item) => convert(item)) };
  if (typeof value === 'object') {
    // Dates and similar serialise through toJSON, exactly as they would on the wire.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return convert(toJSON.call(value));
    return { M: toAttributeMap(value as Record<string, unknown>) };
  }
  throw new Error(`Cannot convert a value of type ${typeof value} to a DynamoDB attribute value`);
}

/** Converts each value of an object (`util.dynamodb.toMapValues`), dropping `undefined` ones. */
export function toAttributeMap(obj: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of definedEntries(obj)) out[key] = convert(value);
  return out;
}

/** Deep-copies sandbox data into main-realm plain objects and arrays. */
export function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, (item) => toPlain(item));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of definedEntries(value)) out[key] = toPlain(item);
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB filter / condition expressions
// ---------------------------------------------------------------------------------------------

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

// The friendly names AppSync accepts for attribute_type, mapped to DynamoDB's type codes.
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

// Thrown internally for a filter AppSync cannot render; the public entry points turn it into null.
class InvalidFilter extends Error {}

interface ExpressionState {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/**
 * Renders a filter object (`{ field: { op: value } }`, `and`, `or`, `not`) into a DynamoDB
 * expression with AppSync's exact placeholder naming: `#field` for names and
 * `:<group path><field>_<op>` for values (`:and_0_title_eq`, `:id_between_start`, `:tags_in_1`),
 * parenthesised and joined exactly as AppSync does, dangling joiners included. Answers null for a
 * filter AppSync would reject (unknown operator, malformed group, wrong operand shape).
 */
export function buildFilterExpression(filter: unknown): DynamoDBExpression | null {
  if (!isPlainObject(filter)) return null;
  const state: ExpressionState = { names: {}, values: {} };
  try {
    const expression = renderGroup(filter, '', state);
    return { expression, expressionNames: state.names, expressionValues: state.values };
  } catch (error) {
    if (error instanceof InvalidFilter) return null;
    throw error;
  }
}

function renderGroup(filter: unknown, prefix: string, state: ExpressionState): string {
  if (!isPlainObject(filter)) throw new InvalidFilter();
  const parts = definedEntries(filter).map(([key, value]) => {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new InvalidFilter();
      const members = Array.from(value, (member, i) => renderGroup(member, `${prefix}${key}_${i}_`, state));
      if (members.length < 2) return members.join('');
      return `(${members.join(key === 'and' ? ' AND ' : ' OR ')})`;
    }
    if (key === 'not') {
      return `(NOT ${renderGroup(value, `${prefix}not_`, state)})`;
    }
    return renderField(key, value, prefix, state);
  });
  return parts.join(' AND ');
}

function renderField(field: string, operators: unknown, prefix: string, state: ExpressionState): string {
  if (!isPlainObject(operators)) throw new InvalidFilter();
  const name = `#${field}`;
  state.names[name] = field;
  const clauses = renderOperators(name, name, operators, `${prefix}${field}`, state);
  if (clauses.length < 2) return clauses.join('');
  return `(${clauses.join(' AND ')})`;
}

function renderOperators(
  name: string,
  path: string,
  operators: Record<string, unknown>,
  valueName: string,
  state: ExpressionState,
): string[] {
  const bind = (suffix: string, value: unknown): string => {
    const placeholder = `:${valueName}_${suffix}`;
    state.values[placeholder] = convert(value);
    return placeholder;
  };
  const clauses: string[] = [];
  for (const [op, operand] of definedEntries(operators)) {
    const comparator = COMPARATORS[op];
    if (comparator !== undefined) {
      clauses.push(`(${path} ${comparator} ${bind(op, operand)})`);
      continue;
    }
    switch (op) {
      case 'contains':
        clauses.push(`(contains(${path},${bind(op, operand)}))`);
        break;
      case 'notContains':
        clauses.push(`(NOT contains(${path},${bind(op, operand)}))`);
        break;
      case 'beginsWith':
        clauses.push(`(begins_with(${path},${bind(op, operand)}))`);
        break;
      case 'between': {
        // AppSync uses the first two bounds and ignores any further ones.
        if (!Array.isArray(operand) || operand.length < 2) throw new InvalidFilter();
        const start = bind('between_start', operand[0]);
        const end = bind('between_end', operand[1]);
        clauses.push(`(${path} BETWEEN ${start} AND ${end})`);
        break;
      }
      case 'in': {
        if (!Array.isArray(operand)) throw new InvalidFilter();
        // AppSync really renders an empty list as "(null)"; DynamoDB then rejects it.
        if (operand.length === 0) {
          clauses.push('(null)');
          break;
        }
        const placeholders = Array.from(operand, (item, i) => bind(`in_${i}`, item));
        clauses.push(`(${path} IN (${placeholders.join(', ')}))`);
        break;
      }
      case 'attributeExists':
        if (typeof operand !== 'boolean') throw new InvalidFilter();
        clauses.push(operand ? `(attribute_exists(${path}))` : `(attribute_not_exists(${path}))`);
        break;
      case 'attributeType': {
        const code = typeof operand === 'string' ? ATTRIBUTE_TYPES[operand] : undefined;
        if (code === undefined) throw new InvalidFilter();
        clauses.push(`(attribute_type(${path},${bind(op, code)}))`);
        break;
      }
      case 'size':
        // size() always wraps the plain attribute name, even when nested again.
        if (!isPlainObject(operand)) throw new InvalidFilter();
        clauses.push(...renderOperators(name, `size(${name})`, operand, `${valueName}_size`, state));
        break;
      default:
        throw new InvalidFilter();
    }
  }
  return clauses;
}

/**
 * `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression`: AppSync answers
 * the expression as a JSON string (resolvers `JSON.parse` it), or null for an unrenderable filter.
 */
export function toDynamoDBFilterExpression(filter: unknown): string | null {
  const built = buildFilterExpression(filter);
  return built === null ? null : JSON.stringify(built);
}

// ---------------------------------------------------------------------------------------------
// Enhanced subscription filters
// ---------------------------------------------------------------------------------------------

type Groups = SubscriptionFilterEntry[][];

// Every alternative of `right` is appended to every group of `left`, left varying slowest.
function product(left: Groups, right: Groups): Groups {
  const out: Groups = [];
  for (const a of left) for (const b of right) out.push([...a, ...b]);
  return out;
}

class UnreadableFilter extends Error {}

function expandSubscription(filter: unknown, ignored: ReadonlySet<string>): Groups {
  if (!isPlainObject(filter)) throw new UnreadableFilter();
  let groups: Groups = [[]];
  for (const [key, value] of definedEntries(filter)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new UnreadableFilter();
      if (key === 'and') {
        for (const member of value) groups = product(groups, expandSubscription(member, ignored));
      } else {
        const alternatives = Array.from(value, (member) => expandSubscription(member, ignored)).flat();
        groups = product(groups, alternatives);
      }
      continue;
    }
    // Unlike the DynamoDB filter, `not` is an ordinary field name here (recorded AWS behaviour).
    if (ignored.has(key)) continue;
    groups = product(groups, fieldAlternatives(key, value));
  }
  return groups;
}

// Several operators on one field are alternatives, not conjuncts: AWS splits them into groups.
function fieldAlternatives(field: string, operators: unknown): Groups {
  if (!isPlainObject(operators)) throw new UnreadableFilter();
  return definedEntries(operators).map(([operator, value]) => [
    { fieldName: field, operator, value: toPlain(value) },
  ]);
}

/**
 * `util.transform.toSubscriptionFilter(filter, ignoredFields?, rules?)`: expands the filter into
 * disjunctive groups (an `or`, and each operator of a field, multiply the groups out), skips the
 * ignored fields, then requires one of the `rules` entries in every group. Operators are carried
 * through unvalidated, as AWS does. Groups left with no filter are dropped; an input that is not
 * an object answers null.
 */
export function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  const ignored = new Set(Array.isArray(ignoredFields) ? Array.from(ignoredFields, String) : []);
  try {
    let groups = expandSubscription(filter, ignored);
    if (isPlainObject(rules)) {
      const alternatives = definedEntries(rules).flatMap(([field, ops]) => fieldAlternatives(field, ops));
      if (alternatives.length > 0) groups = product(groups, alternatives);
    }
    return { filterGroup: groups.filter((g) => g.length > 0).map((filters) => ({ filters })) };
  } catch (error) {
    if (error instanceof UnreadableFilter) return null;
    throw error;
  }
}
