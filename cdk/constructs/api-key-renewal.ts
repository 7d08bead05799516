import { Duration, Stack } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LoggingSettings } from '../config.ts';
import { failureQueue } from './failure-queue.ts';
import { securetaskFunction } from './handler.ts';

/** Props of {@link ApiKeyRenewal}. */
export interface ApiKeyRenewalProps {
  /** `<app>-<stage>`: the function is `<prefix>-apiKeyRenewal`. */
  namePrefix: string;
  projectRoot: string;
  /** The handler module (absolute path). */
  entry: string;
  graphqlApi: appsync.GraphqlApi;
  /** The id of the key to keep valid. */
  apiKeyId: string;
  /** Days ahead each renewal sets the expiry to (the description's `expiresInDays`). */
  days: number;
  logging: LoggingSettings;
}

/**
 * Keeps the onboarding API key alive in AWS. The key is created without an expiry in the
 * template (AppSync's default, 7 days), so synth output does not depend on the day it ran, and
 * CloudFormation never sets it back; a function run daily moves the expiry to `days` ahead,
 * with the same key id, so web configs already published keep working. A run that fails is
 * retried twice by Lambda, then kept in `failures`; `Operations` alarms on its errors, on its
 * failures and on it not running, days before the key would lapse.
 */
export class ApiKeyRenewal extends Construct {
  readonly handler: nodejs.NodejsFunction;
  /** Where runs that failed every retry are kept. */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ApiKeyRenewalProps) {
    super(scope, id);
    this.handler = securetaskFunction(this, 'Function', {
      functionName: `${props.namePrefix}-apiKeyRenewal`,
      serviceName: 'apiKeyRenewal',
      entry: props.entry,
      projectRoot: props.projectRoot,
      timeoutSeconds: 30,
      environment: { API_ID: props.graphqlApi.apiId, API_KEY_ID: props.apiKeyId, API_KEY_DAYS: String(props.days) },
      logging: props.logging,
      description: 'SecureTask: renews the onboarding API key (same id) every day',
    });
    // UpdateApiKey is authorized on the API it belongs to; this is the one API, and the one action.
    this.handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['appsync:UpdateApiKey'], resources: [props.graphqlApi.arn] }));

    this.failures = failureQueue(this, 'Failures');
    this.handler.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(this.failures) });
    new events.Rule(this, 'Daily', {
      description: `SecureTask ${Stack.of(this).stackName}: renew the onboarding API key`,
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new targets.LambdaFunction(this.handler, { deadLetterQueue: this.failures, retryAttempts: 2 })],
    });
  }
}
