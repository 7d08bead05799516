import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';

const clients = new Map<string, unknown>();

/**
 * One client per service, as Lambda code keeps them between invocations. The SDK reads
 * `AWS_ENDPOINT_URL_*` and the credentials when a client is built; in AWS they never change
 * under a running function, but a local runtime restarted in the same process moves its
 * services, so a client is rebuilt when what it was built from has changed.
 */
function cached<T>(service: string, make: () => T): T {
  const key = [service, process.env[`AWS_ENDPOINT_URL_${service}`], process.env.AWS_ACCESS_KEY_ID].join('\u0000');
  let client = clients.get(key) as T | undefined;
  if (!client) {
    for (const old of clients.keys()) if (old.startsWith(`${service}\u0000`)) clients.delete(old);
    clients.set(key, (client = make()));
  }
  return client;
}

/** The DynamoDB client of this function. */
export const dynamodb = (): DynamoDBClient => cached('DYNAMODB', () => new DynamoDBClient({}));

/** The SNS client of this function. */
export const sns = (): SNSClient => cached('SNS', () => new SNSClient({}));
