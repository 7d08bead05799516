import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecureTaskConfig } from '../api/config.ts';
import { functionEnvironment, physicalTableName, physicalTopicName, tableEnvironment } from '../api/naming.ts';
import type { ApiDefinition } from '../api/types.ts';
import { createAuthenticator } from './appsync/auth/authenticate.ts';
import { createLambdaAuthorizer, type AuthorizerEvent } from './appsync/auth/lambda-authorizer.ts';
import { createNextTokenCodec } from './appsync/datasources/next-token.ts';
import { createEngine } from './appsync/engine.ts';
import { createHttpServer } from './appsync/http-server.ts';
import { loadApi, type LoadedApi } from './appsync/load-api.ts';
import { SubscriptionHub, subscriptionsByMutation } from './appsync/realtime/hub.ts';
import { createRealtimeCore, type RealtimeOptions } from './appsync/realtime/server.ts';
import { attachWebSocketAdapter } from './appsync/realtime/ws-adapter.ts';
import { dataFiles, type RuntimeInfo } from './data-dir.ts';
import { startLocalAwsServices, type LocalAwsServices } from './aws-services.ts';
import { startFanOut, type FanOut } from './fan-out.ts';
import { runDeployTriggers, startScheduler } from './scheduler.ts';
import { listOutbox, OutboxError, readOutboxMessage, renderOutboxMessage, renderOutboxPage } from './aws/ses/outbox.ts';
import { firstScreen } from './first-screen.ts';
import { webAppRoutes } from './web-app.ts';
import { publicVerificationPolicy } from '../api/verification-policy.ts';
import { dualProtocolServer, localCertificate } from './tls.ts';
import { startDynamoDBLocal, type DynamoDBLocalHandle } from './aws/dynamodb/dynamodb-local.ts';
import { createTables } from './aws/dynamodb/tables.ts';

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
  /** The built web app (frontend/dist) to serve at `/`; without it `/` shows the API's first screen. */
  webAppDir?: string;
  /** Real-time settings (keep-alive interval, limits); AppSync's defaults otherwise. */
  realtime?: Omit<RealtimeOptions, 'engine' | 'hub'> & { heartbeatMs?: number };
  /**
   * Receives every structured line of the local services (stream pollers, SNS, schedules), info
   * included. Default: warnings, errors and notices to stderr (see `serviceLog`).
   */
  serviceLog?: (line: string) => void;
  /** Fault tests only: exposes `fanOut.faults` to make subscriber functions fail (see FanOutFaults). */
  faultInjection?: boolean;
}

/** A running local SecureTask: what to call it with, and how to stop it. */
export interface LocalStack extends RuntimeInfo {
  api: LoadedApi;
  hub: SubscriptionHub;
  fanOut: FanOut;
  /** The local S3, SES, Rekognition (the offline face matcher) and Textract (the offline ID reader). */
  services: LocalAwsServices;
  /** The image bucket's name. */
  imagesBucket: string;
  /** Cuts every real-time connection at once (fault tests: clients must reconnect and catch up). */
  dropConnections(): number;
  stop(): Promise<void>;
}

/**
 * Starts SecureTask on this machine: DynamoDB Local on the data folder, the tables of the
 * description, signing keys, an API key and IAM credentials, the resolvers and functions, and
 * the HTTP endpoint. The same code AWS runs; only the services underneath are local.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { api, config, log = () => {} } = options;
  const serviceLog = options.serviceLog ?? terminalServiceLog;
  const files = dataFiles(options.dataDir);

  let dynamodbLocal: DynamoDBLocalHandle | undefined;
  let services: LocalAwsServices | undefined;
  let dynamodbEndpoint = options.dynamodbEndpoint;
  if (!dynamodbEndpoint) {
    log('starting DynamoDB Local (Java)');
    dynamodbLocal = await startDynamoDBLocal({ dataDir: files.dynamodbDir });
    dynamodbEndpoint = dynamodbLocal.endpoint;
  }

  try {
    // The runtime's own client plays AppSync's service role; DynamoDB Local takes any credentials.
    const dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // The SDK's logger middleware builds a redacted copy of every response even for a logger that
    // drops it (~6 % of a `tasks` request); the runtime never logs SDK calls.
    dynamodb.middlewareStack.remove('loggerMiddleware');
    const tableName = (table: string) => physicalTableName(api, config.stage, table);
    log(`creating tables: ${Object.keys(api.tables).join(', ')}`);
    await createTables(dynamodb, api.tables, tableName);

    const apiKeyMode = api.authModes.find((m) => m.type === 'API_KEY');
    const apiKeys = await files.apiKeys(apiKeyMode?.type === 'API_KEY' ? apiKeyMode.expiresInDays : 365);
    const iam = await files.iamCredentials(LOCAL_ACCOUNT_ID);
    const host = options.host ?? '127.0.0.1';
    const imagesBucket = `${api.name}-${config.stage}-images`;
    log('starting S3, SES, Rekognition and Textract stand-ins (the face matcher and the OCR load on first use)');
    // Read per request: with port 0 the app's own origin is known only once the server listens.
    const allowedOrigins = webOrigins(config.webOrigin, options.port);
    services = await startLocalAwsServices({
      dataDir: options.dataDir,
      region: config.region,
      credentials: iam,
      buckets: [imagesBucket],
      allowedOrigins,
      log: serviceLog,
      progress: log,
    });
    // Functions get their settings from the environment, in AWS and here alike. Their AWS
    // credentials are the local IAM user's, so the API checks their SigV4 signatures for real
    // (DynamoDB Local accepts any credentials).
    Object.assign(process.env, {
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: iam.accessKeyId,
      AWS_SECRET_ACCESS_KEY: iam.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_S3: services.endpoints.s3,
      AWS_ENDPOINT_URL_SESV2: services.endpoints.sesv2,
      AWS_ENDPOINT_URL_REKOGNITION: services.endpoints.rekognition,
      AWS_ENDPOINT_URL_TEXTRACT: services.endpoints.textract,
      TOKEN_KEYS_DIR: files.keysDir,
    });
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

    const hub = new SubscriptionHub(loaded.schema, subscriptionsByMutation(loaded.schema));
    const engine = createEngine({
      schema: loaded.schema,
      rules: loaded.rules,
      resolvers: loaded.resolvers,
      authenticate,
      env: { ...tableEnvironment(api, config.stage), ...api.resolverEnvironment },
      domainName: `${host}:${options.port}`,
      hub,
    });
    let info: RuntimeInfo | undefined;
    const outboxDir = services.outboxDir;
    const webApp = options.webAppDir
      ? webAppRoutes(options.webAppDir, () => ({ graphqlUrl: info!.graphqlUrl, realtimeUrl: info!.realtimeUrl, apiKey: info!.apiKey, region: config.region, stage: 'local', verification: publicVerificationPolicy(config.verification) }))
      : undefined;
    const http = {
      engine,
      htmlFallback: webApp?.htmlFallback,
      pages: {
        ...webApp?.pages,
        ...(webApp ? {} : { '/': () => firstScreen(info!) }),
        '/local': () => firstScreen(info!),
        '/outbox': async () => ({ contentType: 'text/html; charset=utf-8', body: renderOutboxPage(await listOutbox(outboxDir)) }),
        '/outbox/*': async (req: { url?: string }) => {
          const file = decodeURIComponent((req.url ?? '').split('?')[0].slice('/outbox/'.length));
          try {
            return { contentType: 'text/html; charset=utf-8', body: renderOutboxMessage(await readOutboxMessage(outboxDir, file)) };
          } catch (error) {
            if (error instanceof OutboxError) return undefined;
            throw error;
          }
        },
      },
    };
    const certificate = await localCertificate(options.dataDir);
    const plain = createHttpServer(http);
    const secure = createHttpServer(http, certificate);
    const { heartbeatMs, ...realtime } = options.realtime ?? {};
    const core = createRealtimeCore({ engine, hub, ...realtime });
    const endpoints = [plain, secure].map((s) => attachWebSocketAdapter(s, { core, graphqlPath: '/graphql', heartbeatMs }));
    const server = dualProtocolServer(plain, secure);
    const port = await listen(server, options.port, host);
    if (options.port === 0 && !config.webOrigin) allowedOrigins.push(...webOrigins(undefined, port));
    const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
    info = {
      graphqlUrl: `${base}/graphql`,
      realtimeUrl: `${base.replace('http', 'ws')}/graphql/realtime`,
      certificateFile: certificate.certificateFile,
      apiKey: apiKeys.filter((k) => k.expires * 1000 > Date.now()).at(-1)!.id,
      region: config.region,
      dataDir: options.dataDir,
      dynamodbEndpoint,
      awsEndpoints: services.endpoints,
      pid: process.pid,
    };
    const topicArn = (topic: string) => `arn:aws:sns:${config.region}:${LOCAL_ACCOUNT_ID}:${physicalTopicName(api, config.stage, topic)}`;
    Object.assign(process.env, functionEnvironment(api, config, { topicArn, graphqlUrl: info.graphqlUrl, imagesBucket, webUrl: base }));
    await runDeployTriggers({ api, invoke: loaded.invokeFunction, log });
    log('starting the fan-out: table streams -> SNS -> functions');
    const fanOut = await startFanOut({
      api,
      dynamodb,
      dynamodbEndpoint,
      region: config.region,
      accountId: LOCAL_ACCOUNT_ID,
      dataDir: options.dataDir,
      tableName,
      topicArn,
      invoke: loaded.invokeFunction,
      log: serviceLog,
      faultInjection: options.faultInjection,
    });
    process.env.AWS_ENDPOINT_URL_SNS = fanOut.snsEndpoint;
    const scheduler = startScheduler({ api, invoke: loaded.invokeFunction, log: serviceLog });
    await files.writeRuntimeInfo(info);
    const running = services;

    return {
      ...info,
      api: loaded,
      hub,
      fanOut,
      services: running,
      imagesBucket,
      dropConnections: () => endpoints.reduce((dropped, endpoint) => dropped + endpoint.dropConnections(), 0),
      async stop() {
        scheduler.stop();
        await fanOut.stop();
        await Promise.all(endpoints.map((endpoint) => endpoint.close()));
        plain.closeAllConnections();
        secure.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await files.removeRuntimeInfo();
        dynamodb.destroy();
        await running.stop();
        await dynamodbLocal?.stop();
      },
    };
  } catch (error) {
    await services?.stop();
    await dynamodbLocal?.stop();
    throw error;
  }
}

/** The origins the local web app is served from (this port, http and https, and Vite's dev server), or the configured one. */
function webOrigins(configured: string | undefined, port: number): string[] {
  if (configured) return [configured];
  const ports = port ? [port, 5173] : [5173];
  return ports.flatMap((p) => ['localhost', '127.0.0.1'].flatMap((h) => [`http://${h}:${p}`, `https://${h}:${p}`]));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: stop what runs there or start with PORT=<another port>`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Warnings, errors and notices (a stream resumed, DynamoDB back) reach the terminal; routine lines do not. */
function terminalServiceLog(line: string): void {
  if (process.env.SECURETASK_LOG_LEVEL === 'silent') return;
  const level = /"level":"(\w+)"/.exec(line)?.[1];
  if (level === 'info' || level === 'debug') return;
  process.stderr.write(line + '\n');
}
