import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { failureQueue } from './failure-queue.ts';
import type { Api } from './api.ts';
import type { Data } from './data.ts';
import type { Functions } from './functions.ts';
import type { Topics } from './topics.ts';

/** Props of {@link RealTime}. */
export interface RealTimeProps {
  api: ApiDefinition;
  data: Data;
  topics: Topics;
  functions: Functions;
  graphql: Api;
}

/**
 * The path a task change takes to connected clients, from the description's triggers: each
 * TABLE_STREAM trigger becomes an event source mapping (batch size, batching window, retries,
 * bisect-on-error and partial batch responses as described; what still fails is described in an
 * SQS queue), each TOPIC trigger an SNS subscription (messages SNS cannot deliver land in an SQS
 * queue), each SCHEDULE trigger an EventBridge rule (events it cannot deliver land in an SQS
 * queue), and each function's `callsApi` fields an IAM grant on exactly those fields.
 *
 * SNS and EventBridge invoke asynchronously: a function that throws is retried twice by Lambda
 * and then, without a destination, dropped. Every function with such a trigger has an on-failure
 * destination, an SQS queue that keeps the invocation record (the event and the error) for
 * replay. Every queue here has an alarm (`Operations`); docs/operations.md says how to replay.
 */
export class RealTime extends Construct {
  /** Where failures are kept, by `<function><Stream|Topic|Schedule|Invoke>Failures<n>`. */
  readonly failureQueues = new Map<string, sqs.Queue>();

  constructor(scope: Construct, id: string, props: RealTimeProps) {
    super(scope, id);
    for (const [name, fn] of Object.entries(props.api.functions)) {
      const handler = props.functions.get(name);
      (fn.triggers ?? []).forEach((trigger, n) => {
        if (trigger.kind === 'DEPLOY') {
          // A custom resource: CloudFormation runs the function when the resource is created
          // (with the stack, or in the deploy that adds it to a stack) and fails the deploy if it fails.
          const provider = new cr.Provider(this, `${name}Deploy${n}Provider`, { onEventHandler: handler });
          const target = Stack.of(this).resolve((handler.node.defaultChild as CfnResource).logicalId) as string;
          acknowledge(provider, {
            'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 'The CDK Provider framework\'s own function logs with the basic execution role.',
            [`AwsSolutions-IAM5[Resource::<${target}.Arn>:*]`]: `The Provider framework invokes the ${name} function and its versions.`,
            'AwsSolutions-L1': 'The Provider framework picks its own function\'s runtime.',
          });
          new CustomResource(this, `${name}Deploy${n}`, { serviceToken: provider.serviceToken, properties: { trigger: 'DEPLOY' } });
          return;
        }
        const source = { TABLE_STREAM: 'Stream', TOPIC: 'Topic', SCHEDULE: 'Schedule' }[trigger.kind];
        const queue = this.failureQueue(`${name}${source}Failures${n}`);
        if (trigger.kind === 'TABLE_STREAM') {
          handler.addEventSource(
            new sources.DynamoEventSource(props.data.table(trigger.table), {
              startingPosition: lambda.StartingPosition.TRIM_HORIZON,
              batchSize: trigger.batchSize,
              retryAttempts: trigger.retryAttempts,
              bisectBatchOnError: trigger.bisectBatchOnError,
              maxBatchingWindow: trigger.batchingWindowSeconds > 0 ? Duration.seconds(trigger.batchingWindowSeconds) : undefined,
              reportBatchItemFailures: trigger.reportBatchItemFailures,
              onFailure: new sources.SqsDlq(queue),
            }),
          );
          acknowledge(handler.role!, {
            'AwsSolutions-IAM5[Resource::*]': 'dynamodb:ListStreams (added by the event source mapping) has no resource-level permissions; every other stream action is on the one stream ARN.',
          });
        } else if (trigger.kind === 'TOPIC') {
          props.topics.topic(trigger.topic).addSubscription(new subscriptions.LambdaSubscription(handler, { deadLetterQueue: queue }));
        } else {
          new events.Rule(this, `${name}Schedule${n}`, {
            description: `SecureTask ${name}, every ${trigger.everyMinutes} minutes`,
            schedule: events.Schedule.rate(Duration.minutes(trigger.everyMinutes)),
            targets: [new targets.LambdaFunction(handler, { deadLetterQueue: queue, retryAttempts: 2 })],
          });
        }
      });
      if (fn.triggers?.some((t) => t.kind === 'TOPIC' || t.kind === 'SCHEDULE')) {
        handler.configureAsyncInvoke({ retryAttempts: 2, onFailure: new destinations.SqsDestination(this.failureQueue(`${name}InvokeFailures`)) });
      }
    }
  }

  private failureQueue(id: string): sqs.Queue {
    const queue = failureQueue(this, id);
    this.failureQueues.set(id, queue);
    return queue;
  }
}
