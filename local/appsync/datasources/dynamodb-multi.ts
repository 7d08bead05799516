import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  type KeysAndAttributes,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { DataSourceResult } from './types.ts';
import { canonical } from './dynamodb-single.ts';
import { sdkError } from './dynamodb-errors.ts';
import {
  RequestError,
  isObject,
  mergeExpressionAttributes,
  optionalBoolean,
  readExpression,
  required,
  requiredKey,
  toAttributeMap,
  toPlain,
} from './dynamodb-values.ts';

type Request = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

function tablesOf(request: Request): [string, unknown][] {
  const tables = required(request, 'tables');
  if (!isObject(tables) || Object.keys(tables).length === 0) {
    throw new RequestError("Value for field '$[tables]' must be a non-empty map of table names.");
  }
  return Object.entries(tables);
}

function keyList(value: unknown, path: string): Item[] {
  if (!Array.isArray(value) || value.length === 0) throw new RequestError(`Expected a non-empty list for '${path}'.`);
  return value.map((key, index) => {
    const map = toAttributeMap(key, `${path}[${index}]`);
    if (Object.keys(map).length === 0) throw new RequestError(`Value for field '${path}[${index}]' must not be empty.`);
    return map;
  });
}

/** The identity of an item by the given key attributes, to line results up with the request. */
function identity(item: Item, names: string[]): string {
  return names.map((name) => (item[name] ? canonical(item[name]!) : '?')).join('\u0000');
}

/**
 * BatchGetItem: `{ data: { [table]: (item|null)[] }, unprocessedKeys: { [table]: key[] } }`,
 * each table's list in request order with null for keys not found or not processed.
 */
export async function batchGetItem(client: DynamoDBClient, request: Request): Promise<DataSourceResult> {
  const requestItems: Record<string, KeysAndAttributes> = {};
  const keysByTable = new Map<string, Item[]>();
  for (const [table, spec] of tablesOf(request)) {
    const path = `$[tables][${table}]`;
    // The VTL docs' examples pass a bare key list; the JS type wants { keys }. Accept both.
    const block: Request = Array.isArray(spec) ? { keys: spec } : isObject(spec) ? spec : {};
    const keys = keyList(block.keys, `${path}[keys]`);
    const keyNames = Object.keys(keys[0]!);
    const projection = readExpression(block, 'projection', path);
    let projectionExpression = projection?.expression;
    const names = { ...projection?.names };
    if (projectionExpression) {
      // Results are matched to keys by their key attributes, so those must come back.
      keyNames.forEach((name, i) => {
        names[`#appsyncLocalKey${i}`] = name;
        projectionExpression += `, #appsyncLocalKey${i}`;
      });
    }
    keysByTable.set(table, keys);
    requestItems[table] = {
      Keys: keys,
      ConsistentRead: optionalBoolean(block, 'consistentRead', path),
      ProjectionExpression: projectionExpression,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
    };
  }
  const output = await client.send(new BatchGetItemCommand({ RequestItems: requestItems }));
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const [table, keys] of keysByTable) {
    const keyNames = Object.keys(keys[0]!);
    const found = new Map((output.Responses?.[table] ?? []).map((item) => [identity(item, keyNames), item]));
    data[table] = keys.map((key) => toPlain(found.get(identity(key, keyNames))));
    unprocessedKeys[table] = (output.UnprocessedKeys?.[table]?.Keys ?? []).map((key) => toPlain(key));
  }
  return { result: { data, unprocessedKeys } };
}

async function batchWrite(
  client: DynamoDBClient,
  request: Request,
  kind: 'put' | 'delete',
): Promise<{ data: Record<string, unknown[]>; unprocessed: Record<string, unknown[]> }> {
  const requestItems: Record<string, WriteRequest[]> = {};
  const entriesByTable = new Map<string, Item[]>();
  for (const [table, list] of tablesOf(request)) {
    const entries = keyList(list, `$[tables][${table}]`);
    entriesByTable.set(table, entries);
    requestItems[table] = entries.map((entry) =>
      kind === 'put' ? { PutRequest: { Item: entry } } : { DeleteRequest: { Key: entry } },
    );
  }
  const output = await client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
  const data: Record<string, unknown[]> = {};
  const unprocessed: Record<string, unknown[]> = {};
  for (const [table, entries] of entriesByTable) {
    const left = (output.UnprocessedItems?.[table] ?? []).map((w) => (kind === 'put' ? w.PutRequest?.Item : w.DeleteRequest?.Key) ?? {});
    const leftIds = new Set(left.map((entry) => canonical({ M: entry })));
    data[table] = entries.map((entry) => (leftIds.has(canonical({ M: entry })) ? null : toPlain(entry)));
    unprocessed[table] = left.map((entry) => toPlain(entry));
  }
  return { data, unprocessed };
}

/** BatchPutItem: `{ data, unprocessedItems }`; written items in data, null where unprocessed. */
export async function batchPutItem(client: DynamoDBClient, request: Request): Promise<DataSourceResult> {
  const { data, unprocessed } = await batchWrite(client, request, 'put');
  return { result: { data, unprocessedItems: unprocessed } };
}

/** BatchDeleteItem: `{ data, unprocessedKeys }`; deleted keys in data, null where unprocessed. */
export async function batchDeleteItem(client: DynamoDBClient, request: Request): Promise<DataSourceResult> {
  const { data, unprocessed } = await batchWrite(client, request, 'delete');
  return { result: { data, unprocessedKeys: unprocessed } };
}

function transactItemsOf(request: Request): Request[] {
  const items = required(request, 'transactItems');
  if (!Array.isArray(items) || items.length === 0) {
    throw new RequestError("Value for field '$[transactItems]' must be a non-empty list.");
  }
  return items.map((item, index) => {
    if (!isObject(item)) throw new RequestError(`Expected an object for '$[transactItems][${index}]'.`);
    const table = required(item, 'table', `$[transactItems][${index}]`);
    if (typeof table !== 'string') throw new RequestError(`Expected a string for '$[transactItems][${index}][table]'.`);
    return item;
  });
}

/** `cancellationReasons` as AppSync documents them; DynamoDB's "no error" entries read `None`. */
function reasons(list: CancellationReason[] | undefined): unknown[] {
  return (list ?? []).map((reason) => ({
    ...(reason.Item ? { item: toPlain(reason.Item) } : {}),
    type: reason.Code ?? 'None',
    message: reason.Message ?? 'None',
  }));
}

function isCancelled(error: unknown): error is Error & { CancellationReasons?: CancellationReason[] } {
  return (error as Error)?.name === 'TransactionCanceledException';
}

/** TransactGetItems: `{ items, cancellationReasons }`, items in request order, null where absent. */
export async function transactGetItems(client: DynamoDBClient, request: Request): Promise<DataSourceResult> {
  const transactItems = transactItemsOf(request).map((item, index) => {
    const path = `$[transactItems][${index}]`;
    const projection = readExpression(item, 'projection', path);
    return {
      Get: {
        TableName: item.table as string,
        Key: requiredKey(item, 'key', path),
        ProjectionExpression: projection?.expression,
        ExpressionAttributeNames: projection?.names,
      },
    };
  });
  try {
    const output = await client.send(new TransactGetItemsCommand({ TransactItems: transactItems }));
    return { result: { items: (output.Responses ?? []).map((r) => toPlain(r.Item)), cancellationReasons: null } };
  } catch (error) {
    if (!isCancelled(error)) throw error;
    return { result: { items: null, cancellationReasons: reasons(error.CancellationReasons) }, error: sdkError(error) };
  }
}

function transactWriteItem(item: Request, index: number): TransactWriteItem {
  const path = `$[transactItems][${index}]`;
  const TableName = item.table as string;
  const Key = requiredKey(item, 'key', path);
  const condition = readExpression(item, 'condition', path);
  const conditionBlock = isObject(item.condition) ? item.condition : {};
  // The docs: the current item comes back unless returnValuesOnConditionCheckFailure is false.
  const returnOld = optionalBoolean(conditionBlock, 'returnValuesOnConditionCheckFailure', `${path}[condition]`) !== false;
  const conditional = condition
    ? {
        ConditionExpression: condition.expression,
        ReturnValuesOnConditionCheckFailure: returnOld ? ('ALL_OLD' as const) : ('NONE' as const),
      }
    : {};
  switch (item.operation) {
    case 'PutItem': {
      const values = item.attributeValues == null ? {} : toAttributeMap(item.attributeValues, `${path}[attributeValues]`);
      return { Put: { TableName, Item: { ...values, ...Key }, ...conditional, ...mergeExpressionAttributes([condition]) } };
    }
    case 'UpdateItem': {
      const update = readExpression(item, 'update', path);
      if (!update) throw new RequestError(`Value for field '${path}[update]' not found.`);
      return {
        Update: {
          TableName,
          Key,
          UpdateExpression: update.expression,
          ...conditional,
          ...mergeExpressionAttributes([update, condition]),
        },
      };
    }
    case 'DeleteItem':
      return { Delete: { TableName, Key, ...conditional, ...mergeExpressionAttributes([condition]) } };
    case 'ConditionCheck':
      if (!condition) throw new RequestError(`Value for field '${path}[condition]' not found.`);
      return {
        ConditionCheck: {
          TableName,
          Key,
          ConditionExpression: condition.expression,
          ReturnValuesOnConditionCheckFailure: conditional.ReturnValuesOnConditionCheckFailure,
          ...mergeExpressionAttributes([condition]),
        },
      };
    default:
      throw new RequestError(
        `Unsupported operation '${String(item.operation)}' at '${path}[operation]': expected PutItem, UpdateItem, DeleteItem or ConditionCheck.`,
      );
  }
}

/** TransactWriteItems: `{ keys, cancellationReasons }`; keys in request order on success. */
export async function transactWriteItems(client: DynamoDBClient, request: Request): Promise<DataSourceResult> {
  const items = transactItemsOf(request);
  const transactItems = items.map(transactWriteItem);
  try {
    await client.send(new TransactWriteItemsCommand({ TransactItems: transactItems }));
  } catch (error) {
    if (!isCancelled(error)) throw error;
    return { result: { keys: null, cancellationReasons: reasons(error.CancellationReasons) }, error: sdkError(error) };
  }
  const keys = items.map((item, index) => toPlain(requiredKey(item, 'key', `$[transactItems][${index}]`)));
  return { result: { keys, cancellationReasons: null } };
}
