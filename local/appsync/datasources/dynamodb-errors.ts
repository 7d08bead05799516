import { InvalidNextTokenError } from './next-token.ts';
import { RequestError } from './dynamodb-values.ts';

/** `ctx.error` as the resolver runtime exposes it. */
export interface DataSourceError {
  message: string;
  type: string;
}

/**
 * An SDK exception in AppSync's shape: `type` is `DynamoDB:<ExceptionName>` and the message
 * carries the service suffix AppSync's Java client prints, so handlers that log or match on
 * `ctx.error.message` see what they would see on AWS.
 */
export function sdkError(error: unknown): DataSourceError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const name = e?.name && e.name !== 'Error' ? e.name : 'InternalFailure';
  const status = e?.$metadata?.httpStatusCode;
  const suffix = status
    ? ` (Service: DynamoDb, Status Code: ${status}, Request ID: ${e.$metadata?.requestId ?? 'local'})`
    : '';
  return { type: `DynamoDB:${name}`, message: `${e?.message || name}${suffix}` };
}

/** Any failure of a data-source call, classified; never throws. */
export function toDataSourceError(error: unknown): DataSourceError {
  if (error instanceof RequestError) return { type: error.type, message: error.message };
  if (error instanceof InvalidNextTokenError) {
    // What AppSync answers for a nextToken it did not mint (seen in aws-amplify/amplify-cli#3411).
    return {
      type: 'DynamoDB:UserIllegalArgumentException',
      message: `com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: ${error.message}`,
    };
  }
  return sdkError(error);
}
