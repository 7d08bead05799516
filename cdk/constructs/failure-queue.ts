import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';

/**
 * An SQS queue that keeps what failed for good: a stream batch past its retries, an SNS message
 * that could not be delivered, an asynchronous invocation past Lambda's retries. Kept 14 days
 * (SQS's most), encrypted, TLS only; each has an alarm (`Operations`) and is replayed as
 * docs/operations.md says.
 */
export function failureQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledge(queue, { 'AwsSolutions-SQS3': 'This queue is itself where failures end up (an on-failure destination or a dead-letter queue).' });
  return queue;
}
