import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configFromEnv } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import { dataFiles } from '../data-dir.ts';
import { DevTokenInputError, devTokenInput, mintDevToken } from '../dev-tokens.ts';
import { UsageError } from './command.ts';
import { runningStack } from './running-stack.ts';
import { projectDataDir } from './project.ts';

/** `securetask token`: makes (or finds) an active local user and prints a session token for them. */
export async function token(options: { email?: string; role?: string }): Promise<number> {
  let input;
  try {
    input = devTokenInput(options.email, options.role);
  } catch (error) {
    if (error instanceof DevTokenInputError) throw new UsageError(error.message);
    throw error;
  }
  const config = configFromEnv();
  const found = await runningStack(projectDataDir());
  const client = new DynamoDBClient({ endpoint: found.dynamodbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const tableName = (table: string) => physicalTableName(api, config.stage, table);
    console.log(await mintDevToken({ client, tableName, keysDir: dataFiles(found.dataDir).keysDir, config }, input.email, input.role));
  } finally {
    client.destroy();
  }
  return 0;
}
