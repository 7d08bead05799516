import { AssumeRoleCommand, ExpiredTokenException, MalformedPolicyDocumentException, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { BROWSER_SESSION_POLICY, StsBrowserCredentials } from '../../functions/verification/liveness/browser-credentials.ts';
import { LivenessError } from '../../functions/verification/liveness/liveness.ts';

const sts = mockClient(STSClient);
const meta = { $metadata: {} };
const ROLE = 'arn:aws:iam::123456789012:role/securetask-prod-LivenessBrowserRole';
let sleeps: number[];
const issuer = () =>
  new StsBrowserCredentials({
    roleArn: ROLE,
    client: new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 }),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
const expiration = new Date('2030-01-01T00:15:00Z');

beforeEach(() => {
  sts.reset();
  sleeps = [];
});
afterAll(() => sts.restore());

describe('StsBrowserCredentials', () => {
  it('assumes the liveness role for 15 minutes with a session policy that allows StartFaceLivenessSession alone', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIATEMP', SecretAccessKey: 'temp-secret', SessionToken: 'temp-token', Expiration: expiration } });
    const credentials = await issuer().issue('liveness-abc');
    expect(credentials).toEqual({ accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'temp-token', expiration });
    const input = sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input;
    expect(input).toEqual({ RoleArn: ROLE, RoleSessionName: 'liveness-abc', DurationSeconds: 900, Policy: BROWSER_SESSION_POLICY });
    expect(JSON.parse(input.Policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['rekognition:StartFaceLivenessSession'], Resource: '*' }],
    });
    // The same list the CDK role is made from: one description, read by both.
    expect(JSON.parse(input.Policy!).Statement[0].Action).toEqual(api.liveness!.browserActions);
    expect(input.DurationSeconds).toBe(api.liveness!.credentialSeconds);
  });

  it('refuses incomplete credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIATEMP', SecretAccessKey: 'temp-secret', SessionToken: undefined as never, Expiration: expiration } });
    await expect(issuer().issue('liveness-abc')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it.each([
    ['AccessDenied', () => Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }), 'ACCESS_DENIED', 1],
    ['ExpiredTokenException', () => new ExpiredTokenException({ ...meta, message: 'expired' }), 'ACCESS_DENIED', 1],
    ['MalformedPolicyDocumentException', () => new MalformedPolicyDocumentException({ ...meta, message: 'bad policy' }), 'INVALID_REQUEST', 1],
    ['Throttling', () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }), 'THROTTLED', 4],
  ] as const)('maps %s to %s (%i calls)', async (_name, error, code, calls) => {
    sts.on(AssumeRoleCommand).rejects(error());
    const thrown = await issuer().issue('liveness-abc').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(LivenessError);
    expect((thrown as LivenessError).code).toBe(code);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(calls);
  });
});
