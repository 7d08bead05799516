/**
 * The verification function's world for tests that call its operations directly: the real
 * tables on the run's DynamoDB Local, a local S3 that checks signatures, the real rate limiter,
 * token signing and audit log, and Rekognition and STS replaced at the SDK by aws-sdk-client-mock
 * (the liveness stand-in of issue 14 is what integration tests use). A test scripts what
 * Rekognition answers and reads back what was asked of it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { STSClient } from '@aws-sdk/client-sts';
import { TextractClient } from '@aws-sdk/client-textract';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { inject } from 'vitest';
import { api } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import { defaultVerificationPolicy, type VerificationPolicy } from '../../api/verification-policy.ts';
import { s3 } from '../../functions/shared/aws-clients.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import type { Email, VerificationContext } from '../../functions/verification/context.ts';
import { TextractDocumentReader } from '../../functions/verification/documents/textract.ts';
import { RekognitionFaceMatcher } from '../../functions/verification/faces/rekognition.ts';
import { StsBrowserCredentials } from '../../functions/verification/liveness/browser-credentials.ts';
import { RekognitionLiveness } from '../../functions/verification/liveness/rekognition-liveness.ts';
import { RateLimiter } from '../../functions/verification/rate-limits.ts';
import { getSession, type SessionRecord } from '../../functions/verification/sessions.ts';
import { createTables } from '../../local/aws/dynamodb/tables.ts';
import { startLocalS3, type LocalS3 } from '../../local/aws/s3/s3.ts';

export const REGION = 'eu-west-1';
export const LIVENESS_ROLE_ARN = 'arn:aws:iam::000000000000:role/test-liveness-browser';

/** Everything a test needs: the context to call operations with, and the stubs behind it. */
export interface VerificationWorld {
  context: VerificationContext;
  /** Rekognition as the function's context calls it (liveness, DetectFaces, CompareFaces). */
  rekognition: AwsClientStub<RekognitionClient>;
  sts: AwsClientStub<STSClient>;
  /** Textract, for a test that turns the policy's document checks on (they are off here: the pictures are no IDs). */
  textract: AwsClientStub<TextractClient>;
  /** Emails the function sent. */
  outbox: Email[];
  /** Moves the context's clock (liveness sessions and verification sessions expire by it). */
  advance(seconds: number): void;
  session(id: string): Promise<SessionRecord>;
  /** Audit entries about `targetId`, oldest first, as `ACTION:OUTCOME` plus the details. */
  audit(targetId: string): Promise<{ entry: string; details: Record<string, unknown> }[]>;
  /** Puts an object into the image bucket, as Rekognition's OutputConfig (or a browser's PUT) would. */
  putImage(key: string, bytes: Uint8Array): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a world with its own tables (a unique stage) and its own S3 folder. */
export async function startVerificationWorld(policy: Partial<VerificationPolicy> = {}): Promise<VerificationWorld> {
  const stage = `v${randomUUID().slice(0, 8)}`;
  const endpoint = inject('dynamodbEndpoint');
  const credentials = { accessKeyId: 'AKIDVERIFYTEST', secretAccessKey: 'verify-test-secret' };
  const dynamodb = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tableName = (table: string) => physicalTableName(api, stage, table);
  await createTables(dynamodb, api.tables, tableName);
  const bucket = `${stage}-images`;
  const s3Server: LocalS3 = await startLocalS3({
    dataDir: await mkdtemp(path.join(tmpdir(), 'securetask-verify-')),
    region: REGION,
    credentials: (id) => (id === credentials.accessKeyId ? credentials : undefined),
    buckets: [bucket],
    allowedOrigins: [],
  });
  // The function's own clients (DynamoDB, S3) read these, as they do in Lambda and locally.
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_S3: s3Server.endpoint,
  });
  const rekognitionClient = new RekognitionClient({ region: REGION, credentials, maxAttempts: 1 });
  const stsClient = new STSClient({ region: REGION, credentials, maxAttempts: 1 });
  const textractClient = new TextractClient({ region: REGION, credentials, maxAttempts: 1 });
  const rekognition = mockClient(rekognitionClient);
  const sts = mockClient(stsClient);
  const textract = mockClient(textractClient);
  const keys = await loadLocalKeys(await mkdtemp(path.join(tmpdir(), 'securetask-keys-')));
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const outbox: Email[] = [];
  const noWait = { sleep: async () => {}, random: () => 0 };
  const context: VerificationContext = {
    tables: {
      sessions: tableName('VerificationSessions'),
      users: tableName('Users'),
      invitations: tableName('Invitations'),
      audit: tableName('AuditLog'),
      livenessReferences: tableName('LivenessReferences'),
      boardMembers: tableName('BoardMembers'),
    },
    bucket,
    region: REGION,
    policy: { ...defaultVerificationPolicy, signup: 'open', attemptsPerEmail: 100, attemptsPerSource: 1000, documentChecks: false, ...policy },
    adminEmails: [],
    token: { issuer: 'https://securetask.test', audience: 'securetask-api', lifetimeSeconds: 1800 },
    matcher: new RekognitionFaceMatcher({ client: rekognitionClient, retry: noWait }),
    documents: new TextractDocumentReader({ client: textractClient, retry: noWait }),
    liveness: new RekognitionLiveness({ client: rekognitionClient, retry: noWait }),
    browserCredentials: new StsBrowserCredentials({ roleArn: LIVENESS_ROLE_ARN, client: stsClient, retry: noWait }),
    limiter: new RateLimiter(tableName('RateLimits'), now),
    signer: async () => keys.active,
    sendEmail: async (email) => void outbox.push(email),
    now,
  };
  return {
    context,
    rekognition,
    sts,
    textract,
    outbox,
    advance: (seconds) => void (offsetMs += seconds * 1000),
    async session(id) {
      const found = await getSession(context.tables.sessions, id);
      if (!found) throw new Error(`no session ${id}`);
      return found;
    },
    async audit(targetId) {
      const { Items = [] } = await dynamodb.send(
        new QueryCommand({ TableName: context.tables.audit, IndexName: 'byTime', KeyConditionExpression: '#scope = :all', ExpressionAttributeNames: { '#scope': 'scope' }, ExpressionAttributeValues: { ':all': { S: 'all' } } }),
      );
      return Items.map((item) => unmarshall(item))
        .filter((entry) => entry.targetId === targetId)
        .map((entry) => ({ entry: `${entry.action}:${entry.outcome}`, details: JSON.parse(entry.details as string) as Record<string, unknown> }));
    },
    async putImage(key, bytes) {
      await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: bytes[0] === 0x89 ? 'image/png' : 'image/jpeg' }));
    },
    async stop() {
      rekognition.restore();
      sts.restore();
      textract.restore();
      await s3Server.stop();
      dynamodb.destroy();
    },
  };
}
