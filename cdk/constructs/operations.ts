import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FIREWALL_RULES } from './firewall.ts';

/** Props of {@link Operations}. */
export interface OperationsProps {
  /** `securetask-<stage>`: the dashboard's name and the metrics' namespace. */
  name: string;
  /** The AppSync API's id (its metrics' dimension). */
  apiId: string;
  /** Every function, by name. */
  functions: ReadonlyMap<string, lambda.Function>;
  /** The authorizer, whose denials are counted from its log lines. */
  authorizer?: { name: string; logGroup: logs.ILogGroup };
  /** Every queue failures end up in, by a name that says whose. */
  failureQueues: ReadonlyMap<string, sqs.IQueue>;
  /** The API key renewal function: alarmed when it stops running. */
  apiKeyRenewal?: lambda.Function;
  /** The web ACL's metric name prefix, when WAF is on. */
  firewall?: string;
  /** Encrypts the alarm topic (CloudWatch is allowed to use it). */
  key: kms.IKey;
  /** Emailed on every alarm (a subscription to confirm), if set. */
  email?: string;
  /** Authorizer denials in 5 minutes above which the denials alarm goes off. */
  denialsPer5Minutes: number;
}

/**
 * What an operator watches: one alarm per thing that needs a person (a function's errors, its
 * throttles, anything in a failure queue, a spike of authorizer denials, API 5xx, the API key
 * renewal not running), all sent to one SNS topic (and an email, if configured), and one
 * dashboard. docs/operations.md says what each alarm means and what to do.
 */
export class Operations extends Construct {
  /** Every alarm, by a name that says what it watches. */
  readonly alarms = new Map<string, cloudwatch.Alarm>();
  /** Where every alarm is sent. */
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', { displayName: `${props.name} alarms`, masterKey: props.key, enforceSSL: true });
    props.key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    const fiveMinutes = Duration.minutes(5);
    const alarm = (name: string, metric: cloudwatch.Metric, threshold: number, description: string, options: Partial<cloudwatch.CreateAlarmOptions> = {}) => {
      const created = metric.createAlarm(this, `${name}Alarm`, {
        alarmName: `${props.name}-${name}`,
        alarmDescription: `${description} See docs/operations.md#alarms.`,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      created.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.set(name, created);
      return created;
    };

    for (const [name, fn] of props.functions) {
      alarm(`${name}-errors`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1, `The ${name} function failed (an unhandled error or a timeout).`);
      alarm(`${name}-throttles`, fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1, `The ${name} function was throttled (its reserved concurrency or the account's limit).`);
    }
    for (const [name, queue] of props.failureQueues) {
      alarm(`${name}-failures`, queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }), 1, `Something failed for good and waits in the ${name} failure queue to be looked at and replayed.`);
    }

    const denials = new cloudwatch.Metric({ namespace: `SecureTask/${props.name}`, metricName: 'AuthorizerDenials', period: fiveMinutes, statistic: 'Sum' });
    if (props.authorizer) {
      new logs.MetricFilter(this, 'AuthorizerDenials', {
        logGroup: props.authorizer.logGroup,
        metricNamespace: denials.namespace,
        metricName: denials.metricName,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'denied'),
        metricValue: '1',
        defaultValue: 0,
      });
      alarm('authorizer-denials', denials, props.denialsPer5Minutes, 'The authorizer refused many tokens: forged or replayed tokens, or a key rotation that went wrong.');
    }

    const api = (metricName: string, statistic = 'Sum') => new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: props.apiId }, period: fiveMinutes, statistic });
    alarm('api-5xx', api('5XXError'), 1, 'AppSync answered server errors.');
    if (props.apiKeyRenewal) {
      alarm(
        'api-key-renewal-missing',
        props.apiKeyRenewal.metricInvocations({ period: Duration.days(1), statistic: 'Sum' }),
        1,
        'The API key renewal did not run for two days: the onboarding key lapses when nothing renews it.',
        { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, evaluationPeriods: 2, treatMissingData: cloudwatch.TreatMissingData.BREACHING },
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.name, defaultInterval: Duration.hours(6) });
    const perFunction = (title: string, metric: (fn: lambda.Function) => cloudwatch.Metric) =>
      new cloudwatch.GraphWidget({ title, width: 12, left: [...props.functions].map(([name, fn]) => metric(fn).with({ label: name })) });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests and errors', width: 12, left: [api('Requests'), api('4XXError'), api('5XXError')] }),
      new cloudwatch.GraphWidget({ title: 'API latency (p99, ms)', width: 12, left: [api('Latency', 'p99')] }),
    );
    this.dashboard.addWidgets(
      perFunction('Function errors', (fn) => fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' })),
      perFunction('Function throttles', (fn) => fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' })),
    );
    this.dashboard.addWidgets(
      perFunction('Function duration (p99, ms)', (fn) => fn.metricDuration({ period: fiveMinutes, statistic: 'p99' })),
      new cloudwatch.GraphWidget({
        title: 'Failure queues (messages waiting)',
        width: 12,
        left: [...props.failureQueues].map(([name, queue]) => queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum', label: name })),
      }),
    );
    const firewall = props.firewall;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Authorizer denials', width: 12, left: [denials] }),
      firewall
        ? new cloudwatch.GraphWidget({
            title: 'WAF blocked requests by rule',
            width: 12,
            left: FIREWALL_RULES.map(
              (rule) =>
                new cloudwatch.Metric({ namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensionsMap: { WebACL: `${firewall}-api`, Rule: `${firewall}-${rule}`, Region: Stack.of(this).region }, period: fiveMinutes, statistic: 'Sum', label: rule }),
            ),
          })
        : new cloudwatch.TextWidget({ markdown: 'WAF is off for this stage (`-c waf=false`).', width: 12, height: 6 }),
    );
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: [...this.alarms.values()] }));
  }
}
