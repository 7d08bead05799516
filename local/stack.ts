import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecureTaskConfig } from '../api/config.ts';
import { functionEnvironment, physicalTableName, tableEnvironment } from '../api/naming.ts';
import type { ApiDefinition } from '../api/types.ts';
import { createAuthenticator } from './appsync/auth/authenticate.ts';
import { createLambdaAuthorizer, type AuthorizerEvent } from './appsync/auth/lambda-authorizer.ts';
import { createNextTokenCodec } from './appsync/datasources/next-token.ts';
import { createEngine } from './appsync/engine.ts';
import { createHttpServer } from './appsync/http-server.ts';
import { loadApi, type LoadedApi } from './appsync/load-api.ts';
import { dataFiles, type RuntimeInfo } from './data-dir.ts';
import { firstScreen } from './first-screen.ts';
import { startDynamoDBLocal, type DynamoDBLocalHandle } from './services/dynamodb-local.ts';
import { createTables } from './services/tables.ts';

/** The account id the local stack reports, as AppSync would report the real one. */
export const LOCAL_ACCOUNT_ID = '000000000000';
/** The id of the local API, in ARNs and authorizer events. */
export const LOCAL_API_ID = 'securetasklocal';

export interface LocalStackOptions {
  projectRoot: string;
  api: ApiDefinition;
  config: SecureTaskConfig;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Defaults to loopback: the local stack is for this machine only. */
  host?: string;
  /** Use a DynamoDB that is already running (tests share one) instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  /** Progress lines for the person waiting. */
  log?: (line: string) => void;
}

/** A running local SecureTask: what to call it with, and how to stop it. */
export interface LocalStack extends RuntimeInfo {
  api: LoadedApi;
  stop(): Promise<void>;
}

/**
 * Starts SecureTask on this machine: DynamoDB Local on the data folder, the tables of the
 * description, signing keys, an API key and IAM credentials, the resolvers and functions, and
 * the HTTP endpoint. The same code AWS runs; only the services underneath are local.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { api, config, log = () => {} } = options;
  const files = dataFiles(options.dataDir);

  let dynamodbLocal: DynamoDBLocalHandle | undefined;
  let dynamodbEndpoint = options.dynamodbEndpoint;
  if (!dynamodbEndpoint) {
    log('starting DynamoDB Local (Java)');
    dynamodbLocal = await startDynamoDBLocal({ dataDir: files.dynamodbDir });
    dynamodbEndpoint = dynamodbLocal.endpoint;
  }

  try {
    // Functions read their settings from the environment, in AWS and here alike.
    Object.assign(process.env, {
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      TOKEN_KEYS_DIR: files.keysDir,
      ...functionEnvironment(api, config),
    });
    const dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: config.region });
    const tableName = (table: string) => physicalTableName(api, config.stage, table);
    log(`creating tables: ${Object.keys(api.tables).join(', ')}`);
    await createTables(dynamodb, api.tables, tableName);

    const apiKeyMode = api.authModes.find((m) => m.type === 'API_KEY');
    const apiKeys = await files.apiKeys(apiKeyMode?.type === 'API_KEY' ? apiKeyMode.expiresInDays : 365);
    const iam = await files.iamCredentials(LOCAL_ACCOUNT_ID);
    const loaded = await loadApi({
      projectRoot: options.projectRoot,
      api,
      dynamodb,
      tableName,
      nextTokens: createNextTokenCodec(await files.nextTokenSecret()),
      region: config.region,
      accountId: LOCAL_ACCOUNT_ID,
      log,
    });

    const lambdaMode = api.authModes.find((m) => m.type === 'AWS_LAMBDA');
    const authenticate = createAuthenticator({
      modes: api.authModes.map((m) => m.type),
      lambda:
        lambdaMode?.type === 'AWS_LAMBDA'
          ? createLambdaAuthorizer({
              invoke: (event: AuthorizerEvent) => loaded.invokeFunction(lambdaMode.function, event),
              resultTtlSeconds: config.authorizerResultTtlSeconds,
              identityValidationExpression: lambdaMode.identityValidationExpression,
            })
          : undefined,
      apiKeys: () => apiKeys,
      iamCredentials: (id) => (id === iam.accessKeyId ? iam : undefined),
      region: config.region,
      apiId: LOCAL_API_ID,
      accountId: LOCAL_ACCOUNT_ID,
    });

    const host = options.host ?? '127.0.0.1';
    const engine = createEngine({
      schema: loaded.schema,
      rules: loaded.rules,
      resolvers: loaded.resolvers,
      authenticate,
      env: { ...tableEnvironment(api, config.stage), ...api.resolverEnvironment },
      domainName: `${host}:${options.port}`,
    });
    let info: RuntimeInfo | undefined;
    const server = createHttpServer({ engine, pages: { '/': () => firstScreen(info!) } });
    const port = await listen(server, options.port, host);
    const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
    info = {
      graphqlUrl: `${base}/graphql`,
      realtimeUrl: `${base.replace('http', 'ws')}/graphql/realtime`,
      apiKey: apiKeys.filter((k) => k.expires * 1000 > Date.now()).at(-1)!.id,
      region: config.region,
      dataDir: options.dataDir,
      dynamodbEndpoint,
      pid: process.pid,
    };
    await files.writeRuntimeInfo(info);

    return {
      ...info,
      api: loaded,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await files.removeRuntimeInfo();
        dynamodb.destroy();
        await dynamodbLocal?.stop();
      },
    };
  } catch (error) {
    await dynamodbLocal?.stop();
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: stop what runs there or start with PORT=<another port>`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
