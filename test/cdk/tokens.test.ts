import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { Tokens } from '../../cdk/constructs/tokens.ts';
import { fastApp } from './synth.ts';

const ALIAS = 'alias/securetask-test-tokens';

function ring(keyNames: string[]) {
  const stack = new Stack(fastApp(), 'TokensTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const tokens = new Tokens(stack, 'Tokens', { keyNames, aliasName: ALIAS, retain: false });
  const fn = (id: string) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const signer = fn('Signer');
  const authorizer = fn('Authorizer');
  tokens.grantSign(signer);
  tokens.grantVerify(authorizer);
  const template = Template.fromStack(stack);
  const logicalId = (construct: lambda.Function) => stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
  const statementsOf = (construct: lambda.Function) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(construct.role!.node.defaultChild as never)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
  const keyIds = Object.entries(template.findResources('AWS::KMS::Key')).map(([id, key]) => ({ id, description: key.Properties.Description as string }));
  const idOf = (name: string) => keyIds.find((k) => k.description.endsWith(`key "${name}"`))!.id;
  return { template, signer, authorizer, statementsOf, idOf, logicalId };
}

describe('the token key ring', () => {
  it('makes one ES256 KMS key per name and points the alias at the first', () => {
    const { template, idOf } = ring(['2027-01', 'initial']);
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.allResourcesProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: ALIAS, TargetKeyId: { 'Fn::GetAtt': [idOf('2027-01'), 'Arn'] } });
  });

  it('lets the minting function Sign and DescribeKey only through the alias, whichever key it names, and tells it the alias', () => {
    const { template, signer, statementsOf, logicalId } = ring(['2027-01', 'initial']);
    expect(statementsOf(signer)).toEqual([
      {
        Action: ['kms:DescribeKey', 'kms:Sign'],
        Effect: 'Allow',
        Resource: 'arn:aws:kms:eu-west-1:123456789012:key/*',
        Condition: { StringEquals: { 'kms:RequestAlias': ALIAS } },
      },
    ]);
    expect(template.findResources('AWS::Lambda::Function')[logicalId(signer)].Properties.Environment.Variables).toEqual({ TOKEN_KMS_KEY_ID: ALIAS });
  });

  it('lets the authorizer read the public keys of the whole ring and nothing else (no Verify, no Sign), signing key first', () => {
    const { template, authorizer, statementsOf, idOf, logicalId } = ring(['2027-01', 'initial']);
    const statements = statementsOf(authorizer);
    expect(statements).toEqual([{ Action: 'kms:GetPublicKey', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [idOf('2027-01'), 'Arn'] }, { 'Fn::GetAtt': [idOf('initial'), 'Arn'] }] }]);
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(authorizer)];
    expect(fn.Properties.Environment.Variables.TOKEN_KMS_KEY_ID).toEqual({ 'Fn::Join': ['', [{ Ref: idOf('2027-01') }, ',', { Ref: idOf('initial') }]] });
  });

  it('moves the alias only after the authorizer knows the new key', () => {
    const { template, authorizer, logicalId } = ring(['2027-01', 'initial']);
    const [alias] = Object.values(template.findResources('AWS::KMS::Alias'));
    expect(alias.DependsOn).toContain(logicalId(authorizer));
  });
});
