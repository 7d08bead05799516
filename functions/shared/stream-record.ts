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
  };
}

/** The item before and after the change, as plain objects. */
export function imagesOf<T>(record: StreamRecord): { before?: T; after?: T } {
  return {
    before: record.dynamodb.OldImage ? (unmarshall(record.dynamodb.OldImage) as T) : undefined,
    after: record.dynamodb.NewImage ? (unmarshall(record.dynamodb.NewImage) as T) : undefined,
  };
}
