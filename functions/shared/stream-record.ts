import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** A DynamoDB stream record as Lambda delivers it (the parts SecureTask reads). */
export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: {
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    ApproximateCreationDateTime?: number;
    /** The record's place in its shard: what a partial batch response names. */
    SequenceNumber?: string;
  };
}

/** The item before and after the change, as plain objects. */
export function imagesOf<T>(record: StreamRecord): { before?: T; after?: T } {
  return {
    before: record.dynamodb.OldImage ? (unmarshall(record.dynamodb.OldImage) as T) : undefined,
    after: record.dynamodb.NewImage ? (unmarshall(record.dynamodb.NewImage) as T) : undefined,
  };
}

/**
 * A stream function's partial batch response (the event source mapping's
 * `ReportBatchItemFailures`): the records from the lowest named SequenceNumber on are retried,
 * those before it count as done.
 */
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** The response that retries `records` from index `failedFrom` on (none when it is past the end). */
export function failuresFrom(records: StreamRecord[], failedFrom: number): StreamBatchResponse {
  const failed = records[failedFrom];
  if (!failed) return { batchItemFailures: [] };
  const itemIdentifier = failed.dynamodb.SequenceNumber;
  if (!itemIdentifier) throw new Error(`stream record ${failed.eventID} has no SequenceNumber to report as failed`);
  return { batchItemFailures: [{ itemIdentifier }] };
}
