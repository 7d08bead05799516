import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { STSClient } from '@aws-sdk/client-sts';
import { tracer } from './observability.ts';

const clients = new Map<string, unknown>();

/** Clients kept at most: a few per service and role is all one process ever uses. */
const MAX_CLIENTS = 64;

/**
 * One client per service, as Lambda code keeps them between invocations, each call traced (an
 * X-Ray subsegment in AWS; nothing locally). The SDK reads `AWS_ENDPOINT_URL_*` and the
 * credentials when a client is built; in AWS they never change under a running function, but the
 * local runtime runs every function in one process, each with its own credentials, and a runtime
 * restarted in the same process moves its services: a client is kept per endpoint and access
 * key, the oldest dropped past a bound.
 */
function cached<T>(service: string, make: () => T): T {
  const key = [service, process.env[`AWS_ENDPOINT_URL_${service}`], process.env.AWS_ACCESS_KEY_ID].join('\u0000');
  let client = clients.get(key) as T | undefined;
  if (!client) {
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    clients.set(key, (client = tracer.captureAWSv3Client(make())));
  }
  return client;
}

/** The DynamoDB client of this function. */
export const dynamodb = (): DynamoDBClient => cached('DYNAMODB', () => new DynamoDBClient({}));

/** The SNS client of this function. */
export const sns = (): SNSClient => cached('SNS', () => new SNSClient({}));

/** The SES (API v2) client of this function; `AWS_ENDPOINT_URL_SESV2` points it at the local outbox. */
export const sesv2 = (): SESv2Client => cached('SESV2', () => new SESv2Client({}));

/**
 * The S3 client of this function. Path-style addressing when `AWS_ENDPOINT_URL_S3` (or
 * `AWS_ENDPOINT_URL`) points somewhere else than AWS, as a local S3 has no bucket host names;
 * the SDK has no setting of its own for that. Checksums only where an operation requires one
 * (DeleteObjects): by default the SDK puts a checksum of the empty body into presigned PUT URLs,
 * which S3 then holds against the real upload and refuses.
 */
export const s3 = (): S3Client =>
  cached(
    'S3',
    () =>
      new S3Client({
        forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL),
        requestChecksumCalculation: 'WHEN_REQUIRED',
      }),
  );

/**
 * The Rekognition client of this function (face matching and Face Liveness). `maxAttempts: 1`:
 * the callers retry with one policy of their own (`aws-retry.ts`), which a second layer of SDK
 * retries would multiply (4 x 3 calls).
 */
export const rekognition = (): RekognitionClient => cached('REKOGNITION', () => new RekognitionClient({ maxAttempts: 1 }));

/** The STS client of this function (liveness credentials for the browser); retried as Rekognition is. */
export const sts = (): STSClient => cached('STS', () => new STSClient({ maxAttempts: 1 }));
