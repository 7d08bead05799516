import { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import { physicalTopicName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';

/** Props of {@link Topics}. */
export interface TopicsProps {
  api: ApiDefinition;
  stage: string;
  /** Keep the encryption key when the stack is deleted. */
  retain: boolean;
}

/**
 * Every SNS topic of the description, encrypted with one customer-managed KMS key (rotated
 * yearly) and refusing plain-HTTP publishes. Events carry task contents, so they are encrypted
 * at rest like the table they come from.
 */
export class Topics extends Construct {
  /** The key the topics encrypt messages with. */
  readonly key: kms.Key;
  private readonly topics = new Map<string, sns.Topic>();

  constructor(scope: Construct, id: string, props: TopicsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'SecureTask SNS topics',
      enableKeyRotation: true,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const [name, topic] of Object.entries(props.api.topics)) {
      this.topics.set(
        name,
        new sns.Topic(this, name, {
          topicName: physicalTopicName(props.api, props.stage, name),
          displayName: topic.description.slice(0, 100),
          masterKey: this.key,
          enforceSSL: true,
        }),
      );
    }
  }

  /** The topic the description calls `name`; throws for a name it does not have. */
  topic(name: string): sns.Topic {
    const found = this.topics.get(name);
    if (!found) throw new Error(`the API description has no topic "${name}"`);
    return found;
  }

  /**
   * Lets `grantee` use the key of topic `name` to encrypt what it publishes (the publish itself is
   * granted from the description, api/grants.ts): a data key from the one KMS key, nothing else.
   */
  grantEncrypt(name: string, grantee: iam.IGrantable): void {
    this.topic(name).masterKey?.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey*');
    if (Construct.isConstruct(grantee.grantPrincipal)) {
      acknowledge(grantee.grantPrincipal, {
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
          "Publishing to an encrypted topic needs a data key from the topic's one KMS key (GenerateDataKey and GenerateDataKeyWithoutPlaintext).",
      });
    }
  }
}
