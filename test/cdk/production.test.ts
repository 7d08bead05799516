import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { synthStack, testConfig, type Synthesised } from './synth.ts';
import { actions, TemplateIndex } from './template.ts';

// What a production deployment adds around the API (issue 21): mail identity, API key renewal,
// WAF, cost limits, tracing and Powertools settings, alarms and the dashboard, sign-out on AppSync.
let synth: Synthesised;
let index: TemplateIndex;
let variant: Synthesised;
beforeAll(async () => {
  synth = await synthStack();
  index = new TemplateIndex(synth.template);
  // The other side of each switch: an existing SES identity, no WAF, no reserved concurrency, alarm email.
  variant = await synthStack({ config: { mailIdentity: 'existing', waf: { ...testConfig.waf, enabled: false }, verificationConcurrency: undefined, alarmEmail: 'ops@example.com' } });
}, 120_000);

const fnName = (name: string) => `${api.name}-${testConfig.stage}-${name}`;
const everyFunction = [...Object.keys(api.functions), 'apiKeyRenewal'];
const domain = 'tasks.example.com';

describe('mail', () => {
  it('makes the sender domain an SES identity and prints the three DKIM records it needs', () => {
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: domain });
    const [identityId] = index.ofType('AWS::SES::EmailIdentity')[0];
    for (const n of [1, 2, 3]) {
      synth.template.hasOutput(`MailDkimRecord${n}`, {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [identityId, `DkimDNSTokenName${n}`] }, ' CNAME ', { 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${n}`] }]] },
      });
    }
  });

  it('lets only the mailing functions send, from that domain only', () => {
    for (const [name, fn] of Object.entries(api.functions)) {
      const ses = index.statementsOf(fnName(name)).filter((s) => actions(s).includes('ses:SendEmail'));
      expect(ses.length, name).toBe(fn.services?.includes('email') ? 1 : 0);
      if (ses.length) expect([ses[0].Resource].flat().sort()).toEqual([`arn:aws:ses:eu-west-1:123456789012:identity/*@${domain}`, `arn:aws:ses:eu-west-1:123456789012:identity/${domain}`]);
    }
  });

  it('with mailIdentity=existing, makes no identity and says which one it expects', () => {
    variant.template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    variant.template.hasOutput('MailIdentity', { Value: domain });
  });
});

describe('the onboarding API key', () => {
  it('has no expiry in the template, so the synth does not depend on the day', () => {
    synth.template.hasResourceProperties('AWS::AppSync::ApiKey', { Expires: Match.absent() });
  });

  it('is renewed daily by a function that may only UpdateApiKey on this API, with retries and a failure queue', () => {
    const [renewalId, renewal] = index.lambda(fnName('apiKeyRenewal'));
    const [apiId] = index.ofType('AWS::AppSync::GraphQLApi')[0];
    const [keyId] = index.ofType('AWS::AppSync::ApiKey')[0];
    expect(renewal.Properties.Environment.Variables).toMatchObject({ API_ID: { 'Fn::GetAtt': [apiId, 'ApiId'] }, API_KEY_ID: { 'Fn::GetAtt': [keyId, 'ApiKeyId'] }, API_KEY_DAYS: '365' });
    const own = index.statementsOf(fnName('apiKeyRenewal')).filter((s) => !actions(s).some((a) => a.startsWith('logs:') || a.startsWith('xray:') || a.startsWith('sqs:')));
    expect(own).toEqual([{ Action: 'appsync:UpdateApiKey', Effect: 'Allow', Resource: { 'Fn::GetAtt': [apiId, 'Arn'] } }]);
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [renewalId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: Match.anyValue() })],
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: renewalId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiKeyRenewalFailures'), 'Arn'] } } },
    });
  });

  it('raises an alarm when the renewal fails, when a run is given up on, and when it has not run for two days', () => {
    const [renewalId] = index.lambda(fnName('apiKeyRenewal'));
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: renewalId } }], Threshold: 1 });
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: renewalId } }],
      ComparisonOperator: 'LessThanThreshold',
      Period: 86400,
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
    });
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiKeyRenewalFailures'), 'QueueName'] } }],
    });
  });
});

describe('abuse and cost limits', () => {
  it('puts a regional WAF web ACL on the GraphQL API', () => {
    const [aclId, acl] = index.ofType('AWS::WAFv2::WebACL')[0];
    expect(acl.Properties.Scope).toBe('REGIONAL');
    const [apiId] = index.ofType('AWS::AppSync::GraphQLApi')[0];
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { 'Fn::GetAtt': [apiId, 'Arn'] }, WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] } });
  });

  it('limits API-key requests per address to the configured rate, and all requests per address to a higher one', () => {
    const [, acl] = index.ofType('AWS::WAFv2::WebACL')[0];
    const rules = Object.fromEntries((acl.Properties.Rules as { Name: string }[]).map((r) => [r.Name, r as Record<string, any>]));
    expect(rules.ApiKeyRatePerAddress).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: testConfig.waf.apiKeyRequestsPer5Minutes,
          EvaluationWindowSec: 300,
          ScopeDownStatement: { SizeConstraintStatement: { FieldToMatch: { SingleHeader: { Name: 'x-api-key' } }, ComparisonOperator: 'GT', Size: 0 } },
        },
      },
    });
    expect(rules.RatePerAddress.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: testConfig.waf.requestsPer5Minutes });
    expect(rules.RatePerAddress.Statement.RateBasedStatement.ScopeDownStatement).toBeUndefined();
  });

  it("uses AWS's managed rule groups for bad addresses and bad inputs, counting only the rules a GraphQL body trips", () => {
    const [, acl] = index.ofType('AWS::WAFv2::WebACL')[0];
    const groups = (acl.Properties.Rules as Record<string, any>[]).filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => r.Statement.ManagedRuleGroupStatement);
    expect(groups.map((g) => `${g.VendorName}/${g.Name}`)).toEqual(['AWS/AWSManagedRulesAmazonIpReputationList', 'AWS/AWSManagedRulesKnownBadInputsRuleSet', 'AWS/AWSManagedRulesCommonRuleSet']);
    expect(groups[2].RuleActionOverrides.map((o: { Name: string; ActionToUse: unknown }) => [o.Name, o.ActionToUse])).toEqual([
      ['SizeRestrictions_BODY', { Count: {} }],
      ['CrossSiteScripting_BODY', { Count: {} }],
    ]);
  });

  it('reserves the configured concurrency for the functions that pay per face check, and no other', () => {
    for (const [name, fn] of Object.entries(api.functions)) {
      const reserved = index.lambda(fnName(name))[1].Properties.ReservedConcurrentExecutions;
      expect(reserved, name).toBe(fn.services?.includes('faces') ? testConfig.verificationConcurrency : undefined);
    }
    expect(index.lambda(fnName('verification'))[1].Properties.ReservedConcurrentExecutions).toBe(10);
  });

  it('can be switched off: waf=false and verificationConcurrency=none', () => {
    variant.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    variant.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const verification = Object.values(variant.template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.FunctionName === fnName('verification'))!;
    expect(verification.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('tracing and logs', () => {
  it.each(everyFunction)('%s: X-Ray active, Powertools service, level and sampling, responses kept out of traces', (name) => {
    const [, fn] = index.lambda(fnName(name));
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.LoggingConfig.LogFormat).toBe('Text');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: name,
      POWERTOOLS_LOG_LEVEL: testConfig.logging.level,
      POWERTOOLS_LOGGER_SAMPLE_RATE: String(testConfig.logging.debugSampleRate),
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    });
    expect(index.statementsOf(fnName(name)).flatMap(actions)).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });

  it('traces the API too', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: true });
  });
});

describe('alarms and the dashboard', () => {
  const alarms = () => index.ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const alarmOn = (metric: string, dimension: unknown) => alarms().filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension)));

  it('has an errors and a throttles alarm for every function', () => {
    for (const name of everyFunction) {
      const [id] = index.lambda(fnName(name));
      expect(alarmOn('Errors', { Ref: id }), name).toHaveLength(1);
      expect(alarmOn('Throttles', { Ref: id }), name).toHaveLength(1);
    }
  });

  it('has an alarm on every queue failures end up in', () => {
    const queues = index.ofType('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [id] of queues) expect(alarmOn('ApproximateNumberOfMessagesVisible', { 'Fn::GetAtt': [id, 'QueueName'] }), id).toHaveLength(1);
  });

  it('counts authorizer denials from its log lines and alarms on a spike, and on API 5xx', () => {
    const [, logGroup] = [index.lambda(fnName('authorizer'))[0], index.lambda(fnName('authorizer'))[1].Properties.LoggingConfig.LogGroup];
    synth.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: logGroup,
      FilterPattern: '{ $.message = "denied" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'AuthorizerDenials', MetricValue: '1' })],
    });
    expect(alarms().filter((a) => a.MetricName === 'AuthorizerDenials')).toEqual([expect.objectContaining({ Threshold: testConfig.denialsAlarmPer5Minutes, Period: 300 })]);
    const [apiId] = index.ofType('AWS::AppSync::GraphQLApi')[0];
    expect(alarmOn('5XXError', { 'Fn::GetAtt': [apiId, 'ApiId'] })).toEqual([expect.objectContaining({ Namespace: 'AWS/AppSync', Threshold: 1 })]);
  });

  it('sends every alarm, and its recovery, to one encrypted topic; emails it when configured', () => {
    const [topicId, topic] = index.ofType('AWS::SNS::Topic').find(([, t]) => String(t.Properties.DisplayName).endsWith('alarms'))!;
    expect(topic.Properties.KmsMasterKeyId).toBeDefined();
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.AlarmDescription).toMatch(/docs\/operations\.md#alarms/);
    }
    synth.template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    variant.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('has one dashboard showing the API, the functions, the failure queues, denials, WAF and the alarms', () => {
    const [, dashboard] = index.ofType('AWS::CloudWatch::Dashboard')[0];
    expect(dashboard.Properties.DashboardName).toBe(`${api.name}-${testConfig.stage}`);
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of ['API requests and errors', 'Function errors', 'Function throttles', 'Failure queues', 'Authorizer denials', 'WAF blocked requests', 'Alarms']) expect(body).toContain(title);
    expect(index.ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});

describe('sign-out on AppSync', () => {
  const code = (field: string) => index.ofType('AWS::AppSync::Resolver').find(([, r]) => `${r.Properties.TypeName}.${r.Properties.FieldName}` === field)![1].Properties.Code as string;
  const subscriptions = Object.keys(api.resolvers).filter((field) => field.startsWith('Subscription.'));

  it("ends the user's subscriptions with AppSync's own invalidation: every subscription sets an invalidation filter, signOut invalidates each by user", () => {
    expect(subscriptions.length).toBeGreaterThan(0);
    const signOut = code('Mutation.signOut');
    for (const field of subscriptions) {
      expect(code(field), field).toContain('setSubscriptionInvalidationFilter');
      expect(signOut).toMatch(new RegExp(`invalidateSubscriptions\\(\\{\\s*subscriptionField:\\s*"${field.split('.')[1]}"`));
    }
  });
});

describe('stable synth', () => {
  it('gives the same template twice in a row (nothing depends on the time of the synth)', async () => {
    const again = await synthStack();
    expect(JSON.stringify(again.template.toJSON())).toBe(JSON.stringify(synth.template.toJSON()));
  });
});
