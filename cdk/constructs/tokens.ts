import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';

/** Props of {@link Tokens}. */
export interface TokensProps {
  /**
   * The key ring by name, newest first: the first key signs (the alias names it), the others
   * only verify, until their names are removed (docs/operations.md, "Rotating the token key").
   */
  keyNames: string[];
  /** The alias of the signing key, `alias/<app>-<stage>-tokens`. */
  aliasName: string;
  /** Keep the keys when the stack (or a key's name) is removed: tokens they signed could not be checked otherwise. */
  retain: boolean;
}

/**
 * The session-token signing keys: asymmetric ECC_NIST_P256 KMS keys (ES256), so the private
 * halves never leave KMS, and an alias that names the one that signs.
 *
 * The rotation model, the same as the local key folder's (functions/shared/tokens/local-keys.ts):
 * one key signs, the one the alias names; keys rotated out still verify, so tokens they signed
 * work until they expire; then they are removed. Who may do what is split: the function that
 * mints tokens may Sign (and DescribeKey) only through the alias, so its permission follows the
 * alias and never changes across rotations; the authorizer may only read the public keys of the
 * ring (GetPublicKey; it verifies signatures itself).
 */
export class Tokens extends Construct {
  /** The ring's keys by name, in ring order (the signing key first). */
  readonly keys: ReadonlyMap<string, kms.Key>;
  /** The alias naming the signing key. */
  readonly alias: kms.Alias;
  /** Its name, `alias/<app>-<stage>-tokens` (known at synth, unlike the alias's `Ref`). */
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: TokensProps) {
    super(scope, id);
    if (props.keyNames.length === 0) throw new Error('the token key ring needs at least one key');
    const keys = new Map<string, kms.Key>();
    for (const name of props.keyNames) {
      keys.set(
        name,
        new kms.Key(this, `SigningKey-${name}`, {
          description: `SecureTask session tokens (ES256), key "${name}"`,
          keySpec: kms.KeySpec.ECC_NIST_P256,
          keyUsage: kms.KeyUsage.SIGN_VERIFY,
          removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
      );
    }
    this.keys = keys;
    this.aliasName = props.aliasName;
    this.alias = new kms.Alias(this, 'SigningAlias', { aliasName: props.aliasName, targetKey: [...keys.values()][0] });
  }

  /**
   * Lets `fn` sign tokens with the key the alias names, and nothing else: `kms:Sign` and
   * `kms:DescribeKey` on requests that name the alias (`kms:RequestAlias`). Tells it the alias
   * (`TOKEN_KMS_KEY_ID`).
   */
  grantSign(fn: lambda.Function): void {
    const { region, account } = Stack.of(this);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Sign', 'kms:DescribeKey'],
        resources: [`arn:aws:kms:${region}:${account}:key/*`],
        conditions: { StringEquals: { 'kms:RequestAlias': this.aliasName } },
      }),
    );
    fn.addEnvironment('TOKEN_KMS_KEY_ID', this.aliasName);
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    acknowledge(fn.role!, {
      [`AwsSolutions-IAM5[Resource::arn:aws:kms:${shown(region, 'AWS::Region')}:${shown(account, 'AWS::AccountId')}:key/*]`]:
        'Signing is allowed only on requests that name the token alias (kms:RequestAlias): whichever key the alias names, and no other, through a rotation.',
    });
  }

  /**
   * Lets `fn` read the public key of every key in the ring (`kms:GetPublicKey`), nothing else,
   * and tells it their ids, the signing key first (`TOKEN_KMS_KEY_ID`). The alias moves only
   * after `fn` knows a new key, so no token is signed that the authorizer cannot check.
   */
  grantVerify(fn: lambda.Function): void {
    const keys = [...this.keys.values()];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: keys.map((key) => key.keyArn) }));
    fn.addEnvironment('TOKEN_KMS_KEY_ID', keys.map((key) => key.keyId).join(','));
    this.alias.node.addDependency(fn);
  }
}
