/**
 * The event Lambda hands a function subscribed to a DynamoDB stream, as the `aws-lambda` type
 * package describes it, without depending on that package. Attribute values are in their JSON
 * form (binary as base64 strings): that is what a real invocation deserialises, so a handler
 * written against these types behaves the same in AWS and on the local poller.
 */

/** A DynamoDB attribute value as it appears in a Lambda event (JSON, binary base64-encoded). */
export interface AttributeValue {
  B?: string;
  S?: string;
  N?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

/** The `dynamodb` part of a stream record. */
export interface StreamRecord {
  /** Epoch seconds. */
  ApproximateCreationDateTime?: number;
  Keys?: Record<string, AttributeValue>;
  NewImage?: Record<string, AttributeValue>;
  OldImage?: Record<string, AttributeValue>;
  SequenceNumber?: string;
  SizeBytes?: number;
  StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

/** One change of one item. */
export interface DynamoDBRecord {
  awsRegion?: string;
  dynamodb?: StreamRecord;
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSource?: string;
  eventVersion?: string;
  eventSourceARN?: string;
  /** Present on deletions made by TTL: `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { type?: string; principalId?: string };
}

/** What one invocation receives: one batch of records from one shard, in stream order. */
export interface DynamoDBStreamEvent {
  Records: DynamoDBRecord[];
}

/** A partial batch response: the records (by SequenceNumber) that failed; Lambda retries from the lowest. */
export interface DynamoDBBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
