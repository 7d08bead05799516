import { describe, expect, it } from 'vitest';
import { actionMatches, decide, decideForSession, MalformedPolicyError, parsePolicy } from '../../local/aws/sts/policy.ts';

const allow = (...actions: string[]) => ({ Statement: [{ Effect: 'Allow' as const, Action: actions, Resource: '*' }] });
const deny = (...actions: string[]) => ({ Statement: [{ Effect: 'Deny' as const, Action: actions, Resource: '*' }] });

describe('IAM action patterns', () => {
  it('match case-insensitively, with * for any run of characters and ? for one', () => {
    expect(actionMatches('rekognition:StartFaceLivenessSession', 'rekognition:startfacelivenesssession')).toBe(true);
    expect(actionMatches('rekognition:Start*', 'rekognition:StartFaceLivenessSession')).toBe(true);
    expect(actionMatches('rekognition:*', 's3:GetObject')).toBe(false);
    expect(actionMatches('*', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:?etObject', 's3:GetObject')).toBe(true);
    expect(actionMatches('s3:Get.bject', 's3:GetObject')).toBe(false);
  });
});

describe('decisions', () => {
  it('allows what a statement allows, denies everything else implicitly, and lets an explicit Deny win', () => {
    expect(decide([allow('rekognition:StartFaceLivenessSession')], 'rekognition:StartFaceLivenessSession')).toBe('allow');
    expect(decide([allow('rekognition:StartFaceLivenessSession')], 'rekognition:CreateFaceLivenessSession')).toBe('implicit-deny');
    expect(decide([allow('*'), deny('rekognition:*')], 'rekognition:StartFaceLivenessSession')).toBe('explicit-deny');
    expect(decide([{ Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] }], 's3:PutObject')).toBe('implicit-deny');
  });

  it('gives an assumed role the intersection of its policies and the session policy', () => {
    const role = [allow('rekognition:StartFaceLivenessSession', 's3:GetObject')];
    expect(decideForSession(role, undefined, 's3:GetObject')).toBe('allow');
    expect(decideForSession(role, allow('rekognition:StartFaceLivenessSession'), 's3:GetObject')).toBe('implicit-deny');
    expect(decideForSession(role, allow('*'), 'ses:SendEmail')).toBe('implicit-deny');
    expect(decideForSession(role, deny('rekognition:*'), 'rekognition:StartFaceLivenessSession')).toBe('explicit-deny');
  });
});

describe('parsePolicy', () => {
  it('reads a policy document and refuses malformed ones as IAM does', () => {
    expect(parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:*', Resource: '*' } }))).toMatchObject({ Version: '2012-10-17' });
    for (const bad of ['{', '[]', '{"Statement": [{"Effect": "Allow"}]}', '{"Statement": [{"Effect": "Perhaps", "Action": "*"}]}', '{"Statement": [{"Effect": "Allow", "Action": "no-colon"}]}', '{"Version": "2020-01-01", "Statement": []}']) {
      expect(() => parsePolicy(bad), bad).toThrow(MalformedPolicyError);
    }
  });
});
