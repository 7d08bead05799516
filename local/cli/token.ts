import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configFromEnv } from '../../api/config.ts';
import { api } from '../../api/definition.ts';
import { physicalTableName } from '../../api/naming.ts';
import { loadLocalKeys } from '../../functions/shared/tokens/local-keys.ts';
import { mintSessionToken } from '../../functions/shared/tokens/sign.ts';
import { dataFiles } from '../data-dir.ts';
import { ensureActiveUser } from '../dev-users.ts';
import { UsageError } from './command.ts';
import { runningStack } from './running-stack.ts';
import { projectDataDir } from './project.ts';

/** `securetask token`: makes (or finds) an active local user and prints a session token for them. */
export async function token(options: { email?: string; role?: string }): Promise<number> {
  const email = options.email?.trim();
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError('needs --email <address>');
  const role = options.role?.toUpperCase();
  if (role !== undefined && role !== 'ADMIN' && role !== 'MEMBER') throw new UsageError('--role must be ADMIN or MEMBER');
  const config = configFromEnv();
  const found = await runningStack(projectDataDir());
  const client = new DynamoDBClient({ endpoint: found.dynamodbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let user;
  try {
    user = await ensureActiveUser(client, (table) => physicalTableName(api, config.stage, table), email, role);
  } finally {
    client.destroy();
  }
  const { active } = await loadLocalKeys(dataFiles(found.dataDir).keysDir);
  const minted = await mintSessionToken({ sub: user.id, email: user.email, role: user.role }, active, {
    issuer: config.tokenIssuer,
    audience: config.tokenAudience,
    lifetimeSeconds: config.tokenLifetimeSeconds,
  });
  console.log(minted.token);
  return 0;
}
