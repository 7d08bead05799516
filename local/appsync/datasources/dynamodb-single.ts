import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { NextTokenCodec } from './next-token.ts';
import type { DataSourceResult } from './types.ts';
import {
  RequestError,
  isObject,
  mergeExpressionAttributes,
  optionalBoolean,
  optionalInteger,
  optionalString,
  readExpression,
  requiredKey,
  toAttributeMap,
  toPlain,
  required,
  type Expression,
} from './dynamodb-values.ts';
import { sdkError } from './dynamodb-errors.ts';

/** What single-table operations need: the data source's own table. */
export interface TableContext {
  client: DynamoDBClient;
  tableName: string;
  tokens: NextTokenCodec;
}

type Request = Record<string, unknown>;

/** GetItem: the item as plain JSON, or null when there is none. */
export async function getItem(ctx: TableContext, request: Request): Promise<DataSourceResult> {
  const projection = readExpression(request, 'projection');
  const output = await ctx.client.send(
    new GetItemCommand({
      TableName: ctx.tableName,
      Key: requiredKey(request),
      ConsistentRead: optionalBoolean(request, 'consistentRead'),
      ProjectionExpression: projection?.expression,
      ExpressionAttributeNames: projection?.names,
    }),
  );
  return { result: toPlain(output.Item) };
}

interface Condition extends Expression {
  equalsIgnore: string[];
  consistentRead: boolean;
}

function readCondition(request: Request): Condition | undefined {
  const expression = readExpression(request, 'condition');
  if (!expression) return undefined;
  const block = request.condition as Request;
  const handler = block.conditionalCheckFailedHandler;
  if (isObject(handler) && handler.strategy === 'Custom') {
    // A Custom strategy invokes a Lambda by ARN; there is no ARN to reach locally.
    throw new RequestError("conditionalCheckFailedHandler strategy 'Custom' is not supported by the local runtime.");
  }
  const ignore = block.equalsIgnore;
  if (ignore !== undefined && (!Array.isArray(ignore) || ignore.some((n) => typeof n !== 'string'))) {
    throw new RequestError("Expected a list of strings for '$[condition][equalsIgnore]'.");
  }
  return {
    ...expression,
    equalsIgnore: (ignore as string[] | undefined) ?? [],
    consistentRead: optionalBoolean(block, 'consistentRead', '$[condition]') ?? true,
  };
}

/** PutItem: the item written (key merged over attributeValues). */
export async function putItem(ctx: TableContext, request: Request): Promise<DataSourceResult> {
  const key = requiredKey(request);
  const values = request.attributeValues == null ? {} : toAttributeMap(request.attributeValues, '$[attributeValues]');
  const item = { ...values, ...key };
  const condition = readCondition(request);
  try {
    await ctx.client.send(
      new PutItemCommand({
        TableName: ctx.tableName,
        Item: item,
        ConditionExpression: condition?.expression,
        ...mergeExpressionAttributes([condition]),
      }),
    );
  } catch (error) {
    return onConditionFailed(ctx, error, key, condition, (current) =>
      current !== undefined && sameItem(current, item, condition?.equalsIgnore ?? []),
    );
  }
  return { result: toPlain(item) };
}

/** UpdateItem: the whole item after the update (ReturnValues ALL_NEW). */
export async function updateItem(ctx: TableContext, request: Request): Promise<DataSourceResult> {
  const key = requiredKey(request);
  const update = readExpression(request, 'update');
  if (!update) throw new RequestError("Value for field '$[update]' not found.");
  const condition = readCondition(request);
  try {
    const output = await ctx.client.send(
      new UpdateItemCommand({
        TableName: ctx.tableName,
        Key: key,
        UpdateExpression: update.expression,
        ConditionExpression: condition?.expression,
        ReturnValues: 'ALL_NEW',
        ...mergeExpressionAttributes([update, condition]),
      }),
    );
    return { result: toPlain(output.Attributes) };
  } catch (error) {
    // AppSync cannot tell whether an update already happened, so it never treats this as success.
    return onConditionFailed(ctx, error, key, condition, () => false);
  }
}

/** DeleteItem: the item as it was before (ReturnValues ALL_OLD), or null. */
export async function deleteItem(ctx: TableContext, request: Request): Promise<DataSourceResult> {
  const key = requiredKey(request);
  const condition = readCondition(request);
  try {
    const output = await ctx.client.send(
      new DeleteItemCommand({
        TableName: ctx.tableName,
        Key: key,
        ConditionExpression: condition?.expression,
        ReturnValues: 'ALL_OLD',
        ...mergeExpressionAttributes([condition]),
      }),
    );
    return { result: toPlain(output.Attributes) };
  } catch (error) {
    return onConditionFailed(ctx, error, key, condition, (current) => current === undefined);
  }
}

/**
 * AppSync's documented handling of a failed condition: read the current item (strongly
 * consistent unless `condition.consistentRead` is false); if it already matches the desired
 * outcome the mutation counts as a success returning that item, otherwise the `Reject`
 * strategy applies and the current item is in `ctx.result` next to the error.
 */
async function onConditionFailed(
  ctx: TableContext,
  error: unknown,
  key: Record<string, AttributeValue>,
  condition: Condition | undefined,
  alreadyDone: (current: Record<string, AttributeValue> | undefined) => boolean,
): Promise<DataSourceResult> {
  if ((error as Error)?.name !== 'ConditionalCheckFailedException' || !condition) throw error;
  const current = (
    await ctx.client.send(
      new GetItemCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: condition.consistentRead }),
    )
  ).Item;
  if (alreadyDone(current)) return { result: toPlain(current) };
  return { result: toPlain(current), error: sdkError(error) };
}

function sameItem(a: Record<string, AttributeValue>, b: Record<string, AttributeValue>, ignore: string[]): boolean {
  const strip = (item: Record<string, AttributeValue>) =>
    Object.fromEntries(Object.entries(item).filter(([name]) => !ignore.includes(name)));
  return canonical({ M: strip(a) }) === canonical({ M: strip(b) });
}

/** A comparable text for a value: sets are unordered and numbers have many spellings. */
export function canonical(value: AttributeValue): string {
  if (value.N !== undefined) return `N:${Number(value.N)}`;
  if (value.NS) return `NS:${JSON.stringify(value.NS.map(Number).sort((x, y) => x - y))}`;
  if (value.SS) return `SS:${JSON.stringify([...value.SS].sort())}`;
  if (value.B) return `B:${Buffer.from(value.B).toString('base64')}`;
  if (value.BS) return `BS:${JSON.stringify(value.BS.map((b) => Buffer.from(b).toString('base64')).sort())}`;
  if (value.L) return `L:[${value.L.map(canonical).join(',')}]`;
  if (value.M) {
    const entries = Object.keys(value.M)
      .sort()
      .map((name) => `${JSON.stringify(name)}=${canonical(value.M![name]!)}`);
    return `M:{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Query: `{ items, nextToken, scannedCount }` with an encrypted nextToken. */
export async function query(ctx: TableContext, request: Request): Promise<DataSourceResult> {
  const keyCondition = readExpression(request, 'query');
  if (!keyCondition) throw new RequestError("Value for field '$[query]' not found.");
  const filter = readExpression(request, 'filter');
  const projection = readExpression(request, 'projection');
  const index = optionalString(request, 'index');
  const select = optionalString(request, 'select');
  const scope = tokenScope(ctx, 'Query', index);
  const output = await ctx.client.send(
    new QueryCommand({
      TableName: ctx.tableName,
      IndexName: index,
      KeyConditionExpression: keyCondition.expression,
      FilterExpression: filter?.expression,
      ProjectionExpression: projection?.expression,
      Limit: positiveLimit(request),
      ScanIndexForward: optionalBoolean(request, 'scanIndexForward'),
      ConsistentRead: optionalBoolean(request, 'consistentRead'),
      Select: select as 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | undefined,
      ExclusiveStartKey: startKey(ctx, request, scope),
      ...mergeExpressionAttributes([keyCondition, filter, projection]),
    }),
  );
  return { result: page(ctx, output.Items, output.LastEvaluatedKey, output.ScannedCount, scope) };
}

/** Scan, including parallel segments: `{ items, nextToken, scannedCount }`. */
export async function scan(ctx: TableContext, request: Request): Promise<DataSourceResult> {
  const filter = readExpression(request, 'filter');
  const projection = readExpression(request, 'projection');
  const index = optionalString(request, 'index');
  const scope = tokenScope(ctx, 'Scan', index);
  const output = await ctx.client.send(
    new ScanCommand({
      TableName: ctx.tableName,
      IndexName: index,
      FilterExpression: filter?.expression,
      ProjectionExpression: projection?.expression,
      Limit: positiveLimit(request),
      ConsistentRead: optionalBoolean(request, 'consistentRead'),
      Segment: optionalInteger(request, 'segment'),
      TotalSegments: optionalInteger(request, 'totalSegments'),
      ExclusiveStartKey: startKey(ctx, request, scope),
      ...mergeExpressionAttributes([filter, projection]),
    }),
  );
  return { result: page(ctx, output.Items, output.LastEvaluatedKey, output.ScannedCount, scope) };
}

/** AppSync pagination tokens "can't be used across different resolvers"; table+operation+index is our nearest scope. */
function tokenScope(ctx: TableContext, operation: string, index: string | undefined): string {
  return `${ctx.tableName}\0${operation}\0${index ?? ''}`;
}

function positiveLimit(request: Request): number | undefined {
  const limit = optionalInteger(request, 'limit');
  if (limit === 0) throw new RequestError("Value for field '$[limit]' must be at least 1.");
  return limit;
}

function startKey(ctx: TableContext, request: Request, scope: string): Record<string, AttributeValue> | undefined {
  const token = request.nextToken;
  if (token === undefined || token === null || token === '') return undefined;
  return ctx.tokens.decode(String(required(request, 'nextToken')), scope);
}

function page(
  ctx: TableContext,
  items: Record<string, AttributeValue>[] | undefined,
  lastKey: Record<string, AttributeValue> | undefined,
  scannedCount: number | undefined,
  scope: string,
): { items: unknown[]; nextToken: string | null; scannedCount: number } {
  return {
    items: (items ?? []).map((item) => toPlain(item)),
    nextToken: lastKey ? ctx.tokens.encode(lastKey, scope) : null,
    scannedCount: scannedCount ?? 0,
  };
}
