import type { TestProject } from 'vitest/node';
import { startDynamoDBLocal } from '../../local/aws/dynamodb/dynamodb-local.ts';

declare module 'vitest' {
  /** Values the global setup hands to every test file through `inject()`. */
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's one in-memory DynamoDB Local. */
    dynamodbEndpoint: string;
  }
}

/**
 * vitest globalSetup: one in-memory DynamoDB Local for the whole run (Java costs ~400 MB and a
 * second per start on two cores), shared by every test file; each file creates uniquely named
 * tables so files do not see each other's data. Returns the teardown that stops it.
 */
export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDBLocal({});
  provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => void (await dynamodb.stop());
}
