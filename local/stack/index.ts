import type { SecureTaskConfig } from '../../api/config.ts';
import { physicalBucketName, physicalTopicName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { publicVerificationPolicy } from '../../api/verification-policy.ts';
import { createNextTokenCodec } from '../appsync/index.ts';
import type { SubscriptionHub } from '../appsync/index.ts';
import type { RealtimeOptions } from '../appsync/index.ts';
import { dataFiles, type RuntimeInfo } from '../data-dir.ts';
import { mintDevToken } from '../dev-tokens.ts';
import type { Role } from '../../functions/shared/tokens/claims.ts';
import type { FanOut } from '../fan-out.ts';
import { createApiEngine, loadApi, type LoadedApi } from './api.ts';
import { startData } from './data.ts';
import { localFunctions } from './functions.ts';
import { localPermissions } from './permissions.ts';
import { startDynamoDBAccessCheck } from '../aws/index.ts';
import { startHttp } from './http.ts';
import { livenessBrowserRole, startLocalAwsServices, type LocalAwsServices } from './services.ts';
import { runDeployTriggers } from '../scheduler.ts';
import { startTriggers } from './triggers.ts';

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
  /** The built API console (frontend/console/dist) to serve at `/local`; without it `/local` shows the settings page. */
  consoleDir?: string;
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
  /** The local S3, SES, Rekognition (the offline face matcher, Face Liveness), STS and Textract (the offline ID reader). */
  services: LocalAwsServices;
  /** The image bucket's name. */
  imagesBucket: string;
  /** What the functions run with: each one's credentials (its role's), and the endpoints their SDK calls. */
  functionAccess: {
    credentialsOf(name: string): { accessKeyId: string; secretAccessKey: string };
    endpoints: Record<string, string>;
    /** Runs `work` as function `name`'s code runs: its environment, its credentials (tests that call function code directly). */
    runAs<T>(name: string, work: () => Promise<T>): Promise<T>;
  };
  /** Cuts every real-time connection at once (fault tests: clients must reconnect and catch up). */
  dropConnections(): number;
  stop(): Promise<void>;
}

/**
 * Starts SecureTask on this machine: DynamoDB Local on the data folder, the tables of the
 * description, signing keys, an API key and IAM credentials, the resolvers and functions, and
 * the HTTP endpoint. The same code AWS runs; only the services underneath are local. Wired from
 * the description one concern a file, as cdk/stack.ts wires cdk/constructs/.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { api, config, log = () => {} } = options;
  const serviceLog = options.serviceLog ?? terminalServiceLog;
  const files = dataFiles(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const running: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const part of running.splice(0).reverse()) await part.stop();
  };

  try {
    const data = await startData({ api, stage: config.stage, region: config.region, dynamodbDir: files.dynamodbDir, endpoint: options.dynamodbEndpoint, log });
    running.push(data);
    const apiKeyMode = api.authModes.find((m) => m.type === 'API_KEY');
    const apiKeys = await files.apiKeys(apiKeyMode?.type === 'API_KEY' ? apiKeyMode.expiresInDays : 365);
    const iam = await files.iamCredentials(LOCAL_ACCOUNT_ID);
    const imagesBucket = physicalBucketName(api, config.stage);
    const livenessRoleArn = localLivenessRoleArn(api, config);
    const permissions = localPermissions({ api, config, accountId: LOCAL_ACCOUNT_ID, apiId: LOCAL_API_ID, imagesBucket, localUser: iam, livenessRoleArn });
    // DynamoDB Local takes any credentials: the functions reach it through the check of their grants.
    const checkedDynamodb = await startDynamoDBAccessCheck({ target: data.endpoint, ...permissions.access });
    running.push(checkedDynamodb);
    log('starting S3, SES, Rekognition, STS and Textract stand-ins');
    // Read per request: with port 0 the app's own origin is known only once the server listens.
    const allowedOrigins = webOrigins(config.webOrigin, options.port);
    const services = await startLocalAwsServices({
      dataDir: options.dataDir,
      region: config.region,
      permissions,
      localUser: iam,
      buckets: [imagesBucket],
      allowedOrigins,
      roles: [livenessBrowserRole(livenessRoleArn, api.liveness?.browserActions ?? [])],
      log: serviceLog,
      progress: log,
    });
    running.push(services);

    const functions = localFunctions({ projectRoot: options.projectRoot, api, config, accountId: LOCAL_ACCOUNT_ID });
    const loaded = await loadApi({ projectRoot: options.projectRoot, api, dynamodb: data.dynamodb, tableName: data.tableName, nextTokens: createNextTokenCodec(await files.nextTokenSecret()), invokeFunction: functions.invoke, log });
    const { engine, hub } = createApiEngine({ api, config, loaded, apiKeys, iamCaller: permissions.appSyncCaller, apiId: LOCAL_API_ID, accountId: LOCAL_ACCOUNT_ID, domainName: `${host}:${options.port}` });

    let info: RuntimeInfo | undefined;
    // The browser streams liveness checks to the local Rekognition (wss:// on its port, the local certificate).
    const webConfig = () => ({ graphqlUrl: info!.graphqlUrl, realtimeUrl: info!.realtimeUrl, apiKey: info!.apiKey, region: config.region, stage: 'local', verification: publicVerificationPolicy(config.verification), livenessEndpoint: services.endpoints.rekognition });
    const devTokens = { client: data.dynamodb, tableName: data.tableName, keysDir: files.keysDir, config };
    const apiConsole = { distDir: options.consoleDir, schema: loaded.schema, iamCredentials: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey }, mintDevToken: (email: string, role: Role | undefined) => mintDevToken(devTokens, email, role) };
    const http = await startHttp({ engine, hub, dataDir: options.dataDir, outboxDir: services.outboxDir, port: options.port, host, webAppDir: options.webAppDir, webConfig, info: () => info!, console: apiConsole, realtime: options.realtime });
    running.push(http);
    if (options.port === 0 && !config.webOrigin) allowedOrigins.push(...webOrigins(undefined, http.port));
    const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${http.port}`;
    info = {
      graphqlUrl: `${base}/graphql`,
      realtimeUrl: `${base.replace('http', 'ws')}/graphql/realtime`,
      certificateFile: http.certificateFile,
      apiKey: apiKeys.filter((k) => k.expires * 1000 > Date.now()).at(-1)!.id,
      region: config.region,
      dataDir: options.dataDir,
      dynamodbEndpoint: data.endpoint,
      awsEndpoints: { ...services.endpoints, dynamodb: data.endpoint },
      iamCredentialsFile: files.iamCredentialsFile,
      pid: process.pid,
    };

    const topicArn = (topic: string) => `arn:aws:sns:${config.region}:${LOCAL_ACCOUNT_ID}:${physicalTopicName(api, config.stage, topic)}`;
    const triggers = await startTriggers({ api, dynamodb: data.dynamodb, dynamodbEndpoint: data.endpoint, region: config.region, accountId: LOCAL_ACCOUNT_ID, dataDir: options.dataDir, tableName: data.tableName, topicArn, invoke: functions.invoke, functionArn: (name) => `arn:aws:lambda:${config.region}:${LOCAL_ACCOUNT_ID}:function:${api.name}-${name}`, log: serviceLog, progress: log, faultInjection: options.faultInjection, access: permissions.access });
    running.push(triggers);
    const endpoints = {
      DYNAMODB: checkedDynamodb.endpoint,
      S3: services.endpoints.s3,
      SESV2: services.endpoints.sesv2,
      REKOGNITION: services.endpoints.rekognition,
      STS: services.endpoints.sts,
      TEXTRACT: services.endpoints.textract,
      SNS: triggers.fanOut.snsEndpoint,
    };
    await functions.start({ topicArn, graphqlUrl: info.graphqlUrl, imagesBucket, webUrl: base, livenessRoleArn, credentialsOf: permissions.credentialsOf, endpoints, keysDir: files.keysDir });
    // What a deploy runs once before the stack serves (the boards migration): the functions are up now.
    await runDeployTriggers({ api, invoke: functions.invoke, log });
    await files.writeRuntimeInfo(info);
    running.push({ stop: () => files.removeRuntimeInfo() });

    return {
      ...info,
      api: loaded,
      hub,
      fanOut: triggers.fanOut,
      services,
      imagesBucket,
      functionAccess: { credentialsOf: permissions.credentialsOf, endpoints, runAs: functions.runAs },
      dropConnections: http.dropConnections,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The role the browser's Face Liveness credentials come from, as the local STS knows it (in AWS the
 * CDK stack makes it; the verification function reads it as `LIVENESS_ROLE_ARN`).
 */
export function localLivenessRoleArn(api: ApiDefinition, config: SecureTaskConfig): string {
  return `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${api.name}-${config.stage}-liveness-browser`;
}

/** The origins the local web app is served from (this port, http and https, and Vite's dev server), or the configured one. */
function webOrigins(configured: string | undefined, port: number): string[] {
  if (configured) return [configured];
  const ports = port ? [port, 5173] : [5173];
  return ports.flatMap((p) => ['localhost', '127.0.0.1'].flatMap((h) => [`http://${h}:${p}`, `https://${h}:${p}`]));
}

/** Warnings, errors and notices (a stream resumed, DynamoDB back) reach the terminal; routine lines do not. */
function terminalServiceLog(line: string): void {
  if (process.env.SECURETASK_LOG_LEVEL === 'silent') return;
  const level = /"level":"(\w+)"/.exec(line)?.[1];
  if (level === 'info' || level === 'debug') return;
  process.stderr.write(line + '\n');
}
