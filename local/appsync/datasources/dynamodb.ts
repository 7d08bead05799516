import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { NextTokenCodec } from './next-token.ts';
import type { DataSourceResult } from './types.ts';
import { RequestError, isObject, required } from './dynamodb-values.ts';
import { toDataSourceError } from './dynamodb-errors.ts';
import { deleteItem, getItem, putItem, query, scan, updateItem, type TableContext } from './dynamodb-single.ts';
import {
  batchDeleteItem,
  batchGetItem,
  batchPutItem,
  transactGetItems,
  transactWriteItems,
} from './dynamodb-multi.ts';

export type { DataSourceResult } from './types.ts';

/** Options for {@link createDynamoDBDataSource}. */
export interface DynamoDBDataSourceOptions {
  client: DynamoDBClient;
  /** Physical name of the data source's table, used by the single-table operations. */
  tableName: string;
  /** Mints and checks `nextToken`s; share one per API so tokens survive across requests. */
  tokens: NextTokenCodec;
}

/** An AppSync DynamoDB data source: takes a request object, gives back `ctx.result` / `ctx.error`. */
export interface DynamoDBDataSource {
  /** Never rejects: every failure becomes `error` (with `result` where AppSync documents one). */
  invoke(request: unknown): Promise<DataSourceResult>;
}

/** The operations AppSync's DynamoDB data source accepts (Sync needs conflict detection, which this runtime has not). */
export const DYNAMODB_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchPutItem',
  'BatchDeleteItem',
  'TransactGetItems',
  'TransactWriteItems',
] as const;

/** A DynamoDB operation name this data source handles. */
export type DynamoDBOperation = (typeof DYNAMODB_OPERATIONS)[number];

/**
 * Creates the data source. It translates the request object a resolver's `request` handler
 * returned (typed values in DynamoDB JSON, numbers allowed as JSON numbers) into AWS SDK v3
 * commands and shapes the answer as AppSync documents it for each operation
 * (https://docs.aws.amazon.com/appsync/latest/devguide/js-resolver-reference-dynamodb.html).
 * Batch and transact requests name physical tables themselves; the others use `tableName`.
 */
export function createDynamoDBDataSource(options: DynamoDBDataSourceOptions): DynamoDBDataSource {
  const ctx: TableContext = { client: options.client, tableName: options.tableName, tokens: options.tokens };
  const handlers: Record<DynamoDBOperation, (request: Record<string, unknown>) => Promise<DataSourceResult>> = {
    GetItem: (r) => getItem(ctx, r),
    PutItem: (r) => putItem(ctx, r),
    UpdateItem: (r) => updateItem(ctx, r),
    DeleteItem: (r) => deleteItem(ctx, r),
    Query: (r) => query(ctx, r),
    Scan: (r) => scan(ctx, r),
    BatchGetItem: (r) => batchGetItem(ctx.client, r),
    BatchPutItem: (r) => batchPutItem(ctx.client, r),
    BatchDeleteItem: (r) => batchDeleteItem(ctx.client, r),
    TransactGetItems: (r) => transactGetItems(ctx.client, r),
    TransactWriteItems: (r) => transactWriteItems(ctx.client, r),
  };

  return {
    async invoke(request) {
      try {
        if (!isObject(request)) throw new RequestError('The request object must be a JSON object.');
        const operation = required(request, 'operation');
        if (typeof operation !== 'string' || !Object.hasOwn(handlers, operation)) {
          throw new RequestError(
            `Unsupported operation '${String(operation)}'. Supported: ${DYNAMODB_OPERATIONS.join(', ')}.`,
          );
        }
        return await handlers[operation as DynamoDBOperation](request);
      } catch (error) {
        return { result: null, error: toDataSourceError(error) };
      }
    },
  };
}
