import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Props of {@link Firewall}. */
export interface FirewallProps {
  /** The AppSync API's ARN, which the web ACL is associated with. */
  apiArn: string;
  /** Name prefix of the web ACL and its metrics, `securetask-<stage>`. */
  name: string;
  /** Requests one address may make with the API key in 5 minutes (onboarding and face sign-in). */
  apiKeyRequestsPer5Minutes: number;
  /** Requests one address may make in 5 minutes, whatever the auth. */
  requestsPer5Minutes: number;
}

/** The rules of the web ACL by name, in the order WAF evaluates them. */
export const FIREWALL_RULES = ['IpReputation', 'KnownBadInputs', 'CommonRules', 'ApiKeyRatePerAddress', 'RatePerAddress'] as const;

/**
 * AWS WAF in front of the GraphQL endpoint. The API key is public by design (it opens
 * onboarding), and what it opens costs money per call (Rekognition, Textract, SES), so its
 * requests are rate-limited per source address far below the signed-in traffic. AWS's managed
 * rule groups drop known bad addresses and inputs. The Common rule set's body-size and
 * cross-site-scripting rules only count: a GraphQL body is JSON, often over 8 KB, and a task may
 * legitimately describe `<script>` tags; the API validates and escapes its own input.
 */
export class Firewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    const visibility = (metric: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.name}-${metric}`,
      sampledRequestsEnabled: true,
    });
    const managed = (priority: number, name: (typeof FIREWALL_RULES)[number], group: string, countOnly: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: group,
          ruleActionOverrides: countOnly.length ? countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) : undefined,
        },
      },
      visibilityConfig: visibility(name),
    });
    const ratePerAddress = (priority: number, name: (typeof FIREWALL_RULES)[number], limit: number, scopeDown?: wafv2.CfnWebACL.StatementProperty): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: 300, scopeDownStatement: scopeDown } },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${props.name}-api`,
      description: 'SecureTask GraphQL API: managed rules for bad addresses and inputs, per-address rate limits',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      rules: [
        managed(0, 'IpReputation', 'AWSManagedRulesAmazonIpReputationList'),
        managed(1, 'KnownBadInputs', 'AWSManagedRulesKnownBadInputsRuleSet'),
        managed(2, 'CommonRules', 'AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY']),
        // API-key requests carry an x-api-key header; signed-in requests carry Authorization instead.
        ratePerAddress(3, 'ApiKeyRatePerAddress', props.apiKeyRequestsPer5Minutes, {
          sizeConstraintStatement: { fieldToMatch: { singleHeader: { Name: 'x-api-key' } }, comparisonOperator: 'GT', size: 0, textTransformations: [{ priority: 0, type: 'NONE' }] },
        }),
        ratePerAddress(4, 'RatePerAddress', props.requestsPer5Minutes),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'ApiAssociation', { resourceArn: props.apiArn, webAclArn: this.webAcl.attrArn });
  }
}
