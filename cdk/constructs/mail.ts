import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import { mailDomain } from '../config-checks.ts';

/** Props of {@link Mail}. */
export interface MailProps {
  /** The sender of every email, `Name <address@domain>`; its domain is the SES identity. */
  mailFrom: string;
  /** `create`: the domain identity is part of the stack; `existing`: it is already verified in the account. */
  identity: 'create' | 'existing';
}

/**
 * Email through SES from the configured sender's domain. With `identity: 'create'` the domain
 * identity is made here with Easy DKIM, and the three CNAME records that verify it are stack
 * outputs (`MailDkimRecord1..3`): SES sends nothing until they are in the domain's DNS. Who may
 * send is granted per function from the description (api/grants.ts), from that domain only.
 */
export class Mail extends Construct {
  /** The domain mail is sent from. */
  readonly domain: string;
  /** The SES identity, when this stack owns it. */
  readonly identity?: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.domain = mailDomain(props.mailFrom);
    if (props.identity === 'existing') {
      new CfnOutput(Stack.of(this), 'MailIdentity', {
        value: this.domain,
        description: `SES identity expected to exist and be verified in this account and region (mailIdentity=existing)`,
      });
      return;
    }
    this.identity = new ses.EmailIdentity(this, 'Identity', { identity: ses.Identity.domain(this.domain) });
    this.identity.dkimRecords.forEach((record, n) => {
      new CfnOutput(Stack.of(this), `MailDkimRecord${n + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DNS record ${n + 1} of 3 that verifies ${this.domain} for SES (Easy DKIM); add it to the domain's zone`,
      });
    });
  }

  /** The SES identities mail may be sent from: the domain, and any address of it (api/grants.ts grants `ses:SendEmail` on them). */
  identityArns(): string[] {
    const { region, account } = Stack.of(this);
    return [this.domain, `*@${this.domain}`].map((name) => `arn:aws:ses:${region}:${account}:identity/${name}`);
  }

  /** Says why a sender's grant names any address of the domain, for cdk-nag. */
  acknowledgeSendGrant(role: iam.IRole): void {
    const { region, account } = Stack.of(this);
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    acknowledge(role, {
      [`AwsSolutions-IAM5[Resource::arn:aws:ses:${shown(region, 'AWS::Region')}:${shown(account, 'AWS::AccountId')}:identity/*@${this.domain}]`]:
        'Any sender address of the one configured domain.',
    });
  }
}
