/**
 * The local STS with the real STSClient: AssumeRole's credentials, its parameter checks and
 * errors, and what the credentials it issues may do (the role's policies narrowed by the
 * session policy), as other local services ask it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateSignedRequest, type SigningPrincipal } from '../../local/aws/sigv4/principal.ts';
import { startLocalSts, type LocalSts } from '../../local/aws/sts/sts.ts';
import { livenessBrowserRole } from '../../local/stack/services.ts';

const region = 'us-east-1';
const account = '000000000000';
const keys = { accessKeyId: 'AKIASTSTEST', secretAccessKey: 'sts-test-secret' };
const user: SigningPrincipal = { ...keys, arn: `arn:aws:iam::${account}:user/local`, decide: () => 'allow' };
const role = livenessBrowserRole(`arn:aws:iam::${account}:role/securetask-local-liveness-browser`);
const onlyStreaming = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rekognition:StartFaceLivenessSession', Resource: '*' }] });

let dir: string;
let sts: LocalSts;
const lookup = (id: string): SigningPrincipal | undefined => (id === keys.accessKeyId ? user : sts.principal(id));
const start = () => startLocalSts({ dataDir: dir, roles: [role], authenticate: (req, body) => authenticateSignedRequest(req, body, lookup, { region, service: 'sts' }) });
const client = (credentials = keys) => new STSClient({ endpoint: sts.endpoint, region, credentials, maxAttempts: 1 });
const failure = (promise: Promise<unknown>) => promise.then(() => ({ name: 'no error' }), (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, status: error.$metadata?.httpStatusCode, message: error.message }));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'local-sts-'));
  sts = await start();
});
afterAll(async () => {
  await sts.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('AssumeRole', () => {
  it('issues temporary credentials for the role, for the duration asked', async () => {
    const before = Date.now();
    const out = await client().send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'liveness-1', DurationSeconds: 900, Policy: onlyStreaming }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toBeTruthy();
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    const expiry = out.Credentials!.Expiration!.getTime();
    expect(expiry).toBeGreaterThanOrEqual(before + 899_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 901_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${account}:assumed-role/securetask-local-liveness-browser/liveness-1`);
    expect(out.PackedPolicySize).toBeGreaterThan(0);

    const principal = sts.principal(out.Credentials!.AccessKeyId!)!;
    expect(principal.sessionToken).toBe(out.Credentials!.SessionToken);
    expect(principal.decide('rekognition:StartFaceLivenessSession')).toBe('allow');
    // The role allows nothing else, and neither does the session policy.
    for (const action of ['rekognition:CreateFaceLivenessSession', 'rekognition:GetFaceLivenessSessionResults', 's3:GetObject', 'sts:AssumeRole', 'ses:SendEmail']) {
      expect(principal.decide(action)).toBe('implicit-deny');
    }
  });

  it('narrows the role with the session policy: a policy that does not name the action takes it away', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'rekognition:Get*'], Resource: '*' }] });
    const out = await client().send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'narrow', Policy: policy }));
    const principal = sts.principal(out.Credentials!.AccessKeyId!)!;
    expect(principal.decide('rekognition:StartFaceLivenessSession')).toBe('implicit-deny');
    // ...and cannot widen it: s3 is in the session policy, not in the role's.
    expect(principal.decide('s3:PutObject')).toBe('implicit-deny');
    const denied = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'rekognition:Start*', Resource: '*' }] });
    const out2 = await client().send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'deny', Policy: denied }));
    expect(sts.principal(out2.Credentials!.AccessKeyId!)!.decide('rekognition:StartFaceLivenessSession')).toBe('explicit-deny');
  });

  // The SDK names modelled errors by their shape (MalformedPolicyDocument arrives as MalformedPolicyDocumentException).
  it("refuses what STS refuses, with STS's codes", async () => {
    const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>, credentials = keys) =>
      failure(client(credentials).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x1', ...input })));
    expect(await assume({ DurationSeconds: 899 })).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await assume({ DurationSeconds: 3601 })).toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/MaxSessionDuration/) });
    expect(await assume({ RoleSessionName: 'has space' })).toMatchObject({ name: 'ValidationError' });
    expect(await assume({ RoleArn: `arn:aws:iam::${account}:role/nobody` })).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(await assume({ Policy: '{"Statement": [' })).toMatchObject({ name: 'MalformedPolicyDocumentException' });
    expect(await assume({ Policy: JSON.stringify({ Statement: [{ Effect: 'Maybe', Action: '*' }] }) })).toMatchObject({ name: 'MalformedPolicyDocumentException' });
    expect(await assume({ Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'x'.repeat(2100) + ':y' }] }) })).toMatchObject({ name: 'PackedPolicyTooLargeException' });
    expect(await assume({}, { ...keys, secretAccessKey: 'wrong' })).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(await assume({}, { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' })).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    const unsigned = await fetch(sts.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${role.arn}&RoleSessionName=x1` });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('does not let the credentials it vends assume a role in turn (their policies do not allow sts:AssumeRole)', async () => {
    const out = await client().send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'browser', Policy: onlyStreaming }));
    const temporary = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect(await failure(client(temporary).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'chained' })))).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: sts:AssumeRole'),
    });
    // The session token is part of the credentials: without it the key is unknown.
    expect(await failure(client({ accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey }).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x2' })))).toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });

  it('keeps issued credentials across a restart, until they expire', async () => {
    const out = await client().send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'kept', Policy: onlyStreaming }));
    await sts.stop();
    sts = await start();
    expect(sts.principal(out.Credentials!.AccessKeyId!)?.decide('rekognition:StartFaceLivenessSession')).toBe('allow');
  });
});
