import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Props of {@link Tokens}. */
export interface TokensProps {
  /** Keep the key when the stack is deleted (tokens it signed could not be checked otherwise). */
  retain: boolean;
}

/**
 * The session-token signing key: an asymmetric ECC_NIST_P256 KMS key (ES256), so the private
 * half never leaves KMS. Who may do what with it is split: the function that mints tokens may
 * only Sign; the authorizer may only read the public key and Verify.
 */
export class Tokens extends Construct {
  /** The signing key. Grant through `grantSign` / `grantVerify`, not on the key directly. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: TokensProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'SigningKey', {
      description: 'SecureTask session tokens (ES256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  /** Lets `fn` sign tokens, nothing else, and tells it which key (`TOKEN_KMS_KEY_ID`). */
  grantSign(fn: lambda.Function): void {
    this.key.grant(fn, 'kms:Sign');
    fn.addEnvironment('TOKEN_KMS_KEY_ID', this.key.keyId);
  }

  /** Lets `fn` check tokens (GetPublicKey, Verify), nothing else, and tells it which key. */
  grantVerify(fn: lambda.Function): void {
    this.key.grant(fn, 'kms:GetPublicKey', 'kms:Verify');
    fn.addEnvironment('TOKEN_KMS_KEY_ID', this.key.keyId);
  }
}
