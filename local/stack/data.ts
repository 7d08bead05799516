import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { physicalTableName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { startDynamoDBLocal, type DynamoDBLocalHandle } from '../aws/index.ts';
import { createTables } from '../aws/index.ts';

/** The description's tables on DynamoDB Local, and the client the runtime reads them with. */
export interface LocalData {
  endpoint: string;
  /** The runtime's own client: it plays AppSync's service role. */
  dynamodb: DynamoDBClient;
  /** Logical table name (`Tasks`) -> physical (`securetask-local-Tasks`). */
  tableName(table: string): string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local on the data folder (or uses the one at `endpoint`, which tests share) and
 * creates or updates every table of the description, as cdk/constructs/data.ts declares them.
 */
export async function startData(options: {
  api: ApiDefinition;
  stage: string;
  region: string;
  dynamodbDir: string;
  /** A DynamoDB that is already running, instead of starting DynamoDB Local. */
  endpoint?: string;
  log: (line: string) => void;
}): Promise<LocalData> {
  const { api } = options;
  let dynamodbLocal: DynamoDBLocalHandle | undefined;
  let endpoint = options.endpoint;
  if (!endpoint) {
    options.log('starting DynamoDB Local (Java)');
    dynamodbLocal = await startDynamoDBLocal({ dataDir: options.dynamodbDir });
    endpoint = dynamodbLocal.endpoint;
  }
  // DynamoDB Local takes any credentials.
  const dynamodb = new DynamoDBClient({ endpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // The SDK's logger middleware builds a redacted copy of every response even for a logger that
  // drops it (~6 % of a `tasks` request); the runtime never logs SDK calls.
  dynamodb.middlewareStack.remove('loggerMiddleware');
  const tableName = (table: string) => physicalTableName(api, options.stage, table);
  const stop = async () => {
    dynamodb.destroy();
    await dynamodbLocal?.stop();
  };
  try {
    options.log(`creating tables: ${Object.keys(api.tables).join(', ')}`);
    await createTables(dynamodb, api.tables, tableName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, dynamodb, tableName, stop };
}
