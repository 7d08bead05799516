// `@aws-appsync/utils/dynamodb`: helpers that build DynamoDB data-source REQUEST OBJECTS (they
// never call DynamoDB). The npm package does not even resolve this path in Node, so the emulator
// serves these implementations to resolvers that import it.
//
// Naming follows recorded AppSync output: update expressions use `#expName_N` / `:expValue_N`;
// conditions, filters and key conditions use the `util.transform` naming (`#field`, `:field_eq`)
// but travel as objects, not JSON strings; projections alias every path segment as `#expName_N`.

import {
  buildFilterExpression,
  isPlainObject,
  toAttributeMap,
  toAttributeValue,
  type AttributeValue,
} from './transform.ts';

type Input = Record<string, unknown>;
type Key = Record<string, AttributeValue>;

/** An expression as it appears in a request; `expressionValues` is left out when nothing is bound. */
export interface RequestExpression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

function requireObject(value: unknown, what: string): Input {
  if (!isPlainObject(value)) throw new Error(`@aws-appsync/utils/dynamodb: ${what} must be an object`);
  return value;
}

const toKey = (key: unknown): Key => toAttributeMap(requireObject(key, 'key'));

/** Copies the options that were given; null counts as not given, as in the AppSync module. */
function withOptional<T extends object>(request: T, optional: Record<string, unknown>): T {
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined && value !== null) (request as Record<string, unknown>)[field] = value;
  }
  return request;
}

/**
 * A `condition`, `filter` or key condition. Unlike `util.transform`, an unrenderable filter is an
 * error here: silently dropping a write condition would turn a guarded write into an unguarded one.
 */
function toExpression(filter: unknown, what: string): RequestExpression | undefined {
  if (filter === undefined || filter === null) return undefined;
  const built = buildFilterExpression(filter);
  if (built === null) throw new Error(`@aws-appsync/utils/dynamodb: the ${what} object cannot be rendered as a DynamoDB expression`);
  const expression: RequestExpression = { expression: built.expression, expressionNames: built.expressionNames };
  if (Object.keys(built.expressionValues).length > 0) expression.expressionValues = built.expressionValues;
  return expression;
}

/** Allocates `#expName_N` aliases, one per distinct attribute name, in first-use order. */
class NameAliases {
  private readonly aliases = new Map<string, string>();

  alias(name: string): string {
    let alias = this.aliases.get(name);
    if (alias === undefined) {
      alias = `#expName_${this.aliases.size + 1}`;
      this.aliases.set(name, alias);
    }
    return alias;
  }

  /** Aliases each dot-separated segment, keeping list indexes (`items[2]`) outside the alias. */
  path(path: string): string {
    return path
      .split('.')
      .map((segment) => {
        const index = /^(.*?)((?:\[\d+\])+)$/.exec(segment);
        return index ? `${this.alias(index[1])}${index[2]}` : this.alias(segment);
      })
      .join('.');
  }

  names(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, alias] of this.aliases) out[alias] = name;
    return out;
  }
}

function toProjection(projection: unknown): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!Array.isArray(projection) || projection.length === 0) return undefined;
  const names = new NameAliases();
  const expression = Array.from(projection, (path) => names.path(String(path))).join(', ');
  return { expression, expressionNames: names.names() };
}

// ---------------------------------------------------------------------------------------------
// Update operations
// ---------------------------------------------------------------------------------------------

type OperationType = 'add' | 'remove' | 'replace' | 'increment' | 'decrement' | 'append' | 'prepend' | 'updateListItem';

/** The marker object `operations.*` returns; `_type` is the declared discriminant. */
export interface UpdateOperation {
  _type: OperationType;
  value?: unknown;
  by?: number;
  index?: number;
}

const OPERATION_TYPES = new Set<string>(['add', 'remove', 'replace', 'increment', 'decrement', 'append', 'prepend', 'updateListItem']);

function isOperation(value: unknown): value is UpdateOperation {
  return isPlainObject(value) && typeof value._type === 'string' && OPERATION_TYPES.has(value._type);
}

/** The update helpers of `@aws-appsync/utils/dynamodb`, as declared in its `.d.ts`. */
export const operations = Object.freeze({
  add: <T>(payload: T): UpdateOperation => ({ _type: 'add', value: payload }),
  remove: (): UpdateOperation => ({ _type: 'remove' }),
  replace: <T>(payload: T): UpdateOperation => ({ _type: 'replace', value: payload }),
  increment: (by?: number): UpdateOperation => ({ _type: 'increment', by: by ?? 1 }),
  decrement: (by?: number): UpdateOperation => ({ _type: 'decrement', by: by ?? 1 }),
  append: <T>(payload: T[]): UpdateOperation => ({ _type: 'append', value: payload }),
  prepend: <T>(payload: T[]): UpdateOperation => ({ _type: 'prepend', value: payload }),
  updateListItem: <T>(payload: T, index: number): UpdateOperation => ({ _type: 'updateListItem', value: payload, index }),
});

interface SetAction {
  path: string[];
  render: (name: string, value: (v: unknown) => string) => string;
}

// A bare nested object updates only the keys it names (use `replace` for the whole map), so its
// leaves become path updates; arrays and scalars (null included) are set as they are.
function collectActions(update: Input, parent: string[], sets: SetAction[], removes: string[][]): void {
  for (const [field, change] of Object.entries(update)) {
    if (change === undefined) continue;
    const path = [...parent, field];
    if (Array.isArray(change) && change.length > 0 && change.every((c) => isOperation(c) && c._type === 'updateListItem')) {
      for (const item of change as UpdateOperation[]) {
        sets.push({ path, render: (name, value) => `${name}[${item.index}] = ${value(item.value)}` });
      }
      continue;
    }
    if (!isOperation(change)) {
      if (isPlainObject(change)) collectActions(change, path, sets, removes);
      else sets.push({ path, render: (name, value) => `${name} = ${value(change)}` });
      continue;
    }
    const op = change;
    switch (op._type) {
      case 'add':
      case 'replace':
        sets.push({ path, render: (name, value) => `${name} = ${value(op.value)}` });
        break;
      case 'remove':
        removes.push(path);
        break;
      case 'increment':
        sets.push({ path, render: (name, value) => `${name} = ${name} + ${value(op.by)}` });
        break;
      case 'decrement':
        sets.push({ path, render: (name, value) => `${name} = ${name} - ${value(op.by)}` });
        break;
      case 'append':
        sets.push({ path, render: (name, value) => `${name} = list_append(${name}, ${value(op.value)})` });
        break;
      case 'prepend':
        sets.push({ path, render: (name, value) => `${name} = list_append(${value(op.value)}, ${name})` });
        break;
      case 'updateListItem':
        sets.push({ path, render: (name, value) => `${name}[${op.index}] = ${value(op.value)}` });
        break;
    }
  }
}

/**
 * Renders an update object as one `SET` list followed by one `REMOVE` list. Aliases are numbered
 * in the order they appear in the finished expression, one per attribute name.
 */
function toUpdateExpression(update: unknown): Required<RequestExpression> {
  const sets: SetAction[] = [];
  const removes: string[][] = [];
  collectActions(requireObject(update, 'update'), [], sets, removes);

  const names = new NameAliases();
  const expressionValues: Record<string, AttributeValue> = {};
  const bind = (value: unknown): string => {
    const placeholder = `:expValue_${Object.keys(expressionValues).length + 1}`;
    expressionValues[placeholder] = toAttributeValue(value) ?? { NULL: null };
    return placeholder;
  };
  const aliasPath = (path: string[]): string => path.map((segment) => names.alias(segment)).join('.');

  const clauses: string[] = [];
  if (sets.length > 0) clauses.push(`SET ${sets.map((s) => s.render(aliasPath(s.path), bind)).join(', ')}`);
  if (removes.length > 0) clauses.push(`REMOVE ${removes.map(aliasPath).join(', ')}`);
  return { expression: clauses.join(' '), expressionNames: names.names(), expressionValues };
}

/** Conflict-detection fields AppSync passes through untouched on versioned data sources. */
function syncFields(payload: Input): Record<string, unknown> {
  return {
    customPartitionKey: payload.customPartitionKey,
    populateIndexFields: payload.populateIndexFields,
    _version: payload._version,
  };
}

// ---------------------------------------------------------------------------------------------
// Request builders
// ---------------------------------------------------------------------------------------------

/** `get({ key, consistentRead?, projection? })` -> a GetItem request. */
export function get(payload: unknown) {
  const p = requireObject(payload, 'get input');
  return withOptional(
    { operation: 'GetItem' as const, key: toKey(p.key) },
    { consistentRead: p.consistentRead, projection: toProjection(p.projection) },
  );
}

/** `put({ key, item, condition?, ... })` -> a PutItem request (`item` becomes `attributeValues`). */
export function put(payload: unknown) {
  const p = requireObject(payload, 'put input');
  return withOptional(
    { operation: 'PutItem' as const, key: toKey(p.key), attributeValues: toAttributeMap(requireObject(p.item ?? {}, 'item')) },
    { condition: toExpression(p.condition, 'condition'), ...syncFields(p) },
  );
}

/** `remove({ key, condition?, ... })` -> a DeleteItem request. */
export function remove(payload: unknown) {
  const p = requireObject(payload, 'remove input');
  return withOptional(
    { operation: 'DeleteItem' as const, key: toKey(p.key) },
    { condition: toExpression(p.condition, 'condition'), ...syncFields(p) },
  );
}

/** `update({ key, update, condition?, ... })` -> an UpdateItem request. */
export function update(payload: unknown) {
  const p = requireObject(payload, 'update input');
  return withOptional(
    { operation: 'UpdateItem' as const, key: toKey(p.key), update: toUpdateExpression(p.update) },
    { condition: toExpression(p.condition, 'condition'), ...syncFields(p) },
  );
}

/** `query({ query, filter?, index?, ... })` -> a Query request; `query` is the key condition. */
export function query(payload: unknown) {
  const p = requireObject(payload, 'query input');
  const keyCondition = toExpression(requireObject(p.query, 'query'), 'query');
  return withOptional(
    { operation: 'Query' as const, query: keyCondition as RequestExpression },
    {
      index: p.index,
      nextToken: p.nextToken,
      limit: p.limit,
      scanIndexForward: p.scanIndexForward,
      consistentRead: p.consistentRead,
      select: p.select,
      filter: toExpression(p.filter, 'filter'),
      projection: toProjection(p.projection),
    },
  );
}

/** `scan({ filter?, index?, limit?, segment?, ... })` -> a Scan request. */
export function scan(payload?: unknown) {
  const p = requireObject(payload ?? {}, 'scan input');
  return withOptional(
    { operation: 'Scan' as const },
    {
      index: p.index,
      limit: p.limit,
      nextToken: p.nextToken,
      consistentRead: p.consistentRead,
      totalSegments: p.totalSegments,
      segment: p.segment,
      select: p.select,
      filter: toExpression(p.filter, 'filter'),
      projection: toProjection(p.projection),
    },
  );
}

/** `sync({ limit?, nextToken?, lastSync?, filter?, ... })` -> a Sync request (versioned sources). */
export function sync(payload?: unknown) {
  const p = requireObject(payload ?? {}, 'sync input');
  return withOptional(
    { operation: 'Sync' as const },
    {
      basePartitionKey: p.basePartitionKey,
      deltaIndexName: p.deltaIndexName,
      limit: p.limit,
      nextToken: p.nextToken,
      lastSync: p.lastSync,
      filter: toExpression(p.filter, 'filter'),
    },
  );
}

function tablesOf(payload: unknown, what: string): [string, unknown][] {
  return Object.entries(requireObject(requireObject(payload, `${what} input`).tables, 'tables'));
}

function listOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`@aws-appsync/utils/dynamodb: ${what} must be an array`);
  // A main-realm copy: .map on a sandbox array would answer a sandbox-realm array.
  return Array.from(value);
}

/** `batchGet({ tables: { [table]: { keys, consistentRead?, projection? } } })`. */
export function batchGet(payload: unknown) {
  const tables: Record<string, { keys: Key[]; consistentRead?: boolean; projection?: unknown }> = {};
  for (const [table, request] of tablesOf(payload, 'batchGet')) {
    const r = requireObject(request, `tables.${table}`);
    tables[table] = withOptional(
      { keys: listOf(r.keys, `tables.${table}.keys`).map(toKey) },
      { consistentRead: r.consistentRead, projection: toProjection(r.projection) },
    );
  }
  return { operation: 'BatchGetItem' as const, tables };
}

/** `batchPut({ tables: { [table]: items[] } })`. */
export function batchPut(payload: unknown) {
  const tables: Record<string, Record<string, AttributeValue>[]> = {};
  for (const [table, items] of tablesOf(payload, 'batchPut')) {
    tables[table] = listOf(items, `tables.${table}`).map((item) => toAttributeMap(requireObject(item, 'item')));
  }
  return { operation: 'BatchPutItem' as const, tables };
}

/** `batchDelete({ tables: { [table]: keys[] } })`. */
export function batchDelete(payload: unknown) {
  const tables: Record<string, Key[]> = {};
  for (const [table, keys] of tablesOf(payload, 'batchDelete')) {
    tables[table] = listOf(keys, `tables.${table}`).map(toKey);
  }
  return { operation: 'BatchDeleteItem' as const, tables };
}

/** `transactGet({ items: [{ table, key, projection? }] })`. */
export function transactGet(payload: unknown) {
  const items = listOf(requireObject(payload, 'transactGet input').items, 'items');
  const transactItems = items.map((entry) => {
    const item = requireObject(entry, 'transactGet item');
    return withOptional({ table: String(item.table), key: toKey(item.key) }, { projection: toProjection(item.projection) });
  });
  return { operation: 'TransactGetItems' as const, transactItems };
}

/** `transactWrite({ items: [{ putItem | updateItem | deleteItem | conditionCheck: {...} }] })`. */
export function transactWrite(payload: unknown) {
  const items = listOf(requireObject(payload, 'transactWrite input').items, 'items');
  const transactItems = items.map((entry) => {
    const item = requireObject(entry, 'transactWrite item');
    if (item.putItem !== undefined) {
      const p = requireObject(item.putItem, 'putItem');
      return withOptional(
        { table: String(p.table), operation: 'PutItem', key: toKey(p.key), attributeValues: toAttributeMap(requireObject(p.item ?? {}, 'item')) },
        { condition: toExpression(p.condition, 'condition') },
      );
    }
    if (item.updateItem !== undefined) {
      const p = requireObject(item.updateItem, 'updateItem');
      return withOptional(
        { table: String(p.table), operation: 'UpdateItem', key: toKey(p.key), update: toUpdateExpression(p.update) },
        { condition: toExpression(p.condition, 'condition') },
      );
    }
    if (item.deleteItem !== undefined) {
      const p = requireObject(item.deleteItem, 'deleteItem');
      return withOptional({ table: String(p.table), operation: 'DeleteItem', key: toKey(p.key) }, { condition: toExpression(p.condition, 'condition') });
    }
    if (item.conditionCheck !== undefined) {
      const p = requireObject(item.conditionCheck, 'conditionCheck');
      return withOptional(
        { table: String(p.table), operation: 'ConditionCheck', key: toKey(p.key) },
        { condition: toExpression(p.condition, 'condition') },
      );
    }
    throw new Error('@aws-appsync/utils/dynamodb: a transactWrite item needs putItem, updateItem, deleteItem or conditionCheck');
  });
  return { operation: 'TransactWriteItems' as const, transactItems };
}

/** `{ SS: [...] }`; unlike `util.dynamodb.toStringSet` there is no null passthrough. */
export function toStringSet(list: string[]): { SS: string[] } {
  return { SS: Array.from(listOf(list, 'toStringSet input'), String) };
}

/** `{ NS: ["1", "2"] }`: the module's declaration documents string members, unlike `util.dynamodb`. */
export function toNumberSet(numbers: number[]): { NS: string[] } {
  return { NS: Array.from(listOf(numbers, 'toNumberSet input'), String) };
}

/** `{ BS: [...] }` of base64 strings. */
export function toBinarySet(values: string[]): { BS: string[] } {
  return { BS: Array.from(listOf(values, 'toBinarySet input'), String) };
}

/** Every export above as one frozen object, for injecting as the sandbox's module namespace. */
export const dynamodbModule = Object.freeze({
  get,
  put,
  remove,
  update,
  query,
  scan,
  sync,
  batchGet,
  batchPut,
  batchDelete,
  transactGet,
  transactWrite,
  toStringSet,
  toNumberSet,
  toBinarySet,
  operations,
});
