import type { _Record, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from './stream-types.ts';

/**
 * Turns a record as the DynamoDB Streams SDK returns it into the record Lambda puts in the
 * event. Lambda serialises the event to JSON, so binary attributes reach a handler as base64
 * strings and the creation time as epoch seconds; doing the same here keeps a handler that runs
 * on both honest. DynamoDB Local says its region is `ddblocal`; the function sees the configured
 * region, in `awsRegion` and in the ARN, as it would in AWS.
 */
export function toLambdaRecord(record: _Record, region: string, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ...(created !== undefined ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      ...(data.Keys ? { Keys: toJsonImage(data.Keys) } : {}),
      ...(data.NewImage ? { NewImage: toJsonImage(data.NewImage) } : {}),
      ...(data.OldImage ? { OldImage: toJsonImage(data.OldImage) } : {}),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
    eventSourceARN: lambdaStreamArn(streamArn, region),
  };
  if (record.userIdentity) out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}

/** The stream ARN with DynamoDB Local's pseudo-region replaced by the configured one. */
export function lambdaStreamArn(streamArn: string, region: string): string {
  return streamArn.replace(/^(arn:[^:]+:dynamodb:)ddblocal:/, `$1${region}:`);
}

function toJsonImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toJsonValue(value)]));
}

function toJsonValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: toJsonImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toJsonValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  throw new Error(`unsupported attribute value in stream record: ${JSON.stringify(value)}`);
}

/** Sequence numbers are decimal strings of varying length; order them as numbers. */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
