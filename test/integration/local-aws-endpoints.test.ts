/**
 * What `securetask info --json` promises developer clients (issue 14, item 6): every local AWS
 * endpoint, and the IAM keys file they all accept; and the wiring the verification function
 * relies on for Face Liveness: the browser's role at the ARN the stack gives the function, whose
 * credentials may stream and do nothing else.
 */
import { readFile } from 'node:fs/promises';
import { CreateFaceLivenessSessionCommand, GetFaceLivenessSessionResultsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { localLivenessRoleArn } from '../../local/stack/index.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let keys: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  keys = JSON.parse(await readFile(stack.iamCredentialsFile, 'utf8'));
});
afterAll(async () => {
  await stack?.stop();
});

describe('the local AWS endpoints', () => {
  it('lists every stand-in and DynamoDB, each an http:// URL on loopback', () => {
    expect(Object.keys(stack.awsEndpoints).sort()).toEqual(['dynamodb', 'rekognition', 's3', 'sesv2', 'sts', 'textract']);
    for (const url of Object.values(stack.awsEndpoints)) expect(url).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+$/);
  });

  it('accept the keys of the IAM credentials file, with the AWS SDK as it is', async () => {
    const s3 = new S3Client({ endpoint: stack.awsEndpoints.s3, region: stack.region, credentials: keys, forcePathStyle: true });
    const rekognition = new RekognitionClient({ endpoint: stack.awsEndpoints.rekognition, region: stack.region, credentials: keys, maxAttempts: 1 });
    try {
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(stack.imagesBucket);
      const { SessionId } = await rekognition.send(new CreateFaceLivenessSessionCommand({}));
      expect((await rekognition.send(new GetFaceLivenessSessionResultsCommand({ SessionId }))).Status).toBe('CREATED');
      const stranger = new RekognitionClient({ endpoint: stack.awsEndpoints.rekognition, region: stack.region, credentials: { ...keys, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
      await expect(stranger.send(new CreateFaceLivenessSessionCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException' });
      stranger.destroy();
    } finally {
      s3.destroy();
      rekognition.destroy();
    }
  });

  it("vend the browser's liveness credentials at the role the verification function is given, and they may stream only", async () => {
    const sts = new STSClient({ endpoint: stack.awsEndpoints.sts, region: stack.region, credentials: keys, maxAttempts: 1 });
    try {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: localLivenessRoleArn(api, stack.config), RoleSessionName: 'browser', DurationSeconds: 900 }));
      const browser = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
      const rekognition = new RekognitionClient({ endpoint: stack.awsEndpoints.rekognition, region: stack.region, credentials: browser, maxAttempts: 1 });
      // Creating sessions is the server's: the browser's credentials cannot.
      await expect(rekognition.send(new CreateFaceLivenessSessionCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
      rekognition.destroy();
      await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/no-such-role', RoleSessionName: 'browser' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      sts.destroy();
    }
  });
});
