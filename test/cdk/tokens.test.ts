import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { Tokens } from '../../cdk/constructs/tokens.ts';
import { fastApp } from './synth.ts';

// The function that mints tokens arrives with the verification issue; it will be granted through this method.
describe('Tokens.grantSign', () => {
  it('lets a function Sign with the token key and nothing else, and tells it the key id', () => {
    const stack = new Stack(fastApp(), 'TokensTest');
    const tokens = new Tokens(stack, 'Tokens', { retain: false });
    const fn = new lambda.Function(stack, 'Verify', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
    tokens.grantSign(fn);

    const template = Template.fromStack(stack);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([{ Action: 'kms:Sign', Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } }]);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { TOKEN_KMS_KEY_ID: { Ref: keyId } } } });
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });
});
