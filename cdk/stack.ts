import path from 'node:path';
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { ApiDefinition } from '../api/types.ts';
import { publicVerificationPolicy } from '../api/verification-policy.ts';
import type { DeployConfig } from './config.ts';
import { Api } from './constructs/api.ts';
import { ApiKeyRenewal } from './constructs/api-key-renewal.ts';
import { Data } from './constructs/data.ts';
import { Firewall } from './constructs/firewall.ts';
import { Functions } from './constructs/functions.ts';
import { Liveness } from './constructs/liveness.ts';
import { Mail } from './constructs/mail.ts';
import { Operations } from './constructs/operations.ts';
import { RealTime } from './constructs/realtime.ts';
import { Storage } from './constructs/storage.ts';
import { Tokens } from './constructs/tokens.ts';
import { Topics } from './constructs/topics.ts';
import { WebApp } from './constructs/web.ts';
import type { ResolverCode } from './resolver-code.ts';

/** Props of {@link SecureTaskStack}. */
export interface SecureTaskStackProps extends StackProps {
  /** The declarative description (api/definition.ts). */
  api: ApiDefinition;
  config: DeployConfig;
  /** Absolute path of the project (schema, handlers and lock file are found from it). */
  projectRoot: string;
  /** Every resolver file of the description, bundled (see `bundleResolvers`). */
  resolverCode: ResolverCode;
  /** The frontend build to upload, or undefined when there is none. */
  webAssetsPath?: string;
  /** Where a description entry lives on disk (tests only; see `FunctionsProps.entryPath`). */
  entryPath?: (entry: string) => string;
}

/**
 * SecureTask in one stack, wired from the description: data, storage, tokens, mail, topics, liveness,
 * functions, the API (behind WAF, its key renewed daily), the real-time path, the web app, and
 * the alarms and dashboard that watch them, one construct each.
 */
export class SecureTaskStack extends Stack {
  /** The constructs, for tests and for whoever extends the stack. */
  readonly parts: {
    data: Data;
    storage: Storage;
    tokens: Tokens;
    mail: Mail;
    topics: Topics;
    liveness: Liveness;
    functions: Functions;
    api: Api;
    apiKeyRenewal?: ApiKeyRenewal;
    firewall?: Firewall;
    realTime: RealTime;
    web: WebApp;
    operations: Operations;
  };

  constructor(scope: Construct, id: string, props: SecureTaskStackProps) {
    super(scope, id, props);
    const { api, config, projectRoot } = props;
    const retain = config.retainData;
    const namePrefix = `${api.name}-${config.stage}`;
    const authorizer = api.authModes.find((mode) => mode.type === 'AWS_LAMBDA')?.function;

    const data = new Data(this, 'Data', { api, stage: config.stage, retain });
    const tokens = new Tokens(this, 'Tokens', { keyNames: config.tokenKeys, aliasName: `alias/${namePrefix}-tokens`, retain });
    const mail = new Mail(this, 'Mail', { mailFrom: config.mailFrom, identity: config.mailIdentity });
    const topics = new Topics(this, 'Topics', { api, stage: config.stage, retain });
    // The web origin is needed by the image bucket's CORS and the site's CSP needs the bucket.
    let web: WebApp | undefined;
    const storage = new Storage(this, 'Storage', { api, stage: config.stage, webOrigin: config.webOrigin ?? Lazy.string({ produce: () => web!.url }), retain });
    const liveness = new Liveness(this, 'Liveness', { definition: api.liveness });
    let graphql: Api | undefined;
    const functions = new Functions(this, 'Functions', {
      api,
      config,
      projectRoot,
      data,
      topics,
      storage,
      tokens,
      liveness,
      mail,
      graphqlUrl: Lazy.string({ produce: () => graphql!.graphqlApi.graphqlUrl }),
      graphqlApiArn: Lazy.string({ produce: () => graphql!.graphqlApi.arn }),
      webUrl: config.webOrigin ?? Lazy.string({ produce: () => web!.url }),
      referencedByApi: authorizer ? [authorizer] : [],
      entryPath: props.entryPath,
      logging: config.logging,
    });
    this.limitCostlyFunctions(api, functions, config);
    graphql = new Api(this, 'Api', {
      api,
      stage: config.stage,
      projectRoot,
      authorizerResultTtlSeconds: config.authorizerResultTtlSeconds,
      resolverCode: props.resolverCode,
      data,
      functions,
    });
    if (authorizer) tokens.grantVerify(functions.get(authorizer));
    const firewall = config.waf.enabled
      ? new Firewall(this, 'Firewall', {
          apiArn: graphql.graphqlApi.arn,
          name: namePrefix,
          apiKeyRequestsPer5Minutes: config.waf.apiKeyRequestsPer5Minutes,
          requestsPer5Minutes: config.waf.requestsPer5Minutes,
        })
      : undefined;
    const apiKeyMode = api.authModes.find((mode) => mode.type === 'API_KEY');
    const apiKeyRenewal =
      apiKeyMode?.type === 'API_KEY' && graphql.apiKeyId
        ? new ApiKeyRenewal(this, 'ApiKeyRenewal', {
            namePrefix,
            projectRoot,
            entry: path.join(projectRoot, 'functions/api-key-renewal/handler.ts'),
            graphqlApi: graphql.graphqlApi,
            apiKeyId: graphql.apiKeyId,
            days: apiKeyMode.expiresInDays,
            logging: config.logging,
          })
        : undefined;
    const realTime = new RealTime(this, 'RealTime', { api, data, topics, functions, graphql });
    web = new WebApp(this, 'Web', {
      assetsPath: props.webAssetsPath,
      // The liveness check streams its video to Rekognition's streaming endpoint (FaceLivenessDetectorCore).
      connectOrigins: [`https://*.appsync-api.${this.region}.amazonaws.com`, `wss://*.appsync-realtime-api.${this.region}.amazonaws.com`, `wss://streaming-rekognition.${this.region}.amazonaws.com`, storage.imagesOrigin],
      imageOrigins: [storage.imagesOrigin],
      runtimeConfig: {
        graphqlUrl: graphql.graphqlApi.graphqlUrl,
        realtimeUrl: graphql.realtimeUrl,
        apiKey: graphql.apiKeyId ?? '',
        region: this.region,
        stage: config.stage,
        verification: publicVerificationPolicy(config.verification),
      },
      accessLogs: storage.accessLogs,
      retain,
    });

    const everyFunction = new Map<string, lambda.Function>(functions.all());
    const failureQueues = new Map(realTime.failureQueues);
    if (apiKeyRenewal) {
      everyFunction.set('apiKeyRenewal', apiKeyRenewal.handler);
      failureQueues.set('apiKeyRenewal', apiKeyRenewal.failures);
    }
    const operations = new Operations(this, 'Operations', {
      name: namePrefix,
      apiId: graphql.graphqlApi.apiId,
      functions: everyFunction,
      authorizer: authorizer ? { name: authorizer, logGroup: functions.get(authorizer).logGroup } : undefined,
      failureQueues,
      apiKeyRenewal: apiKeyRenewal?.handler,
      firewall: firewall ? namePrefix : undefined,
      key: topics.key,
      email: config.alarmEmail,
      denialsPer5Minutes: config.denialsAlarmPer5Minutes,
    });
    this.parts = { data, storage, tokens, mail, topics, liveness, functions, api: graphql, apiKeyRenewal, firewall, realTime, web, operations };

    new CfnOutput(this, 'GraphQLUrl', { value: graphql.graphqlApi.graphqlUrl, description: 'GraphQL endpoint (HTTPS)' });
    new CfnOutput(this, 'RealtimeUrl', { value: graphql.realtimeUrl, description: 'Subscriptions endpoint (WebSocket)' });
    const apiKeyId = graphql.apiKeyId;
    if (apiKeyId) new CfnOutput(this, 'ApiKeyId', { value: apiKeyId, description: 'Onboarding API key (public by design: it only opens onboarding and face sign-in); renewed daily, same id' });
    new CfnOutput(this, 'TokenKeyAlias', { value: tokens.aliasName, description: `Token signing key alias; the ring (newest first): ${config.tokenKeys.join(', ')}` });
    new CfnOutput(this, 'AlarmTopic', { value: operations.topic.topicArn, description: 'Every alarm is sent here (subscribe, or set -c alarmEmail=...)' });
    new CfnOutput(this, 'Dashboard', { value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${namePrefix}`, description: 'The operations dashboard' });
    new CfnOutput(this, 'WebUrl', {
      value: web.url,
      description: web.deploysAssets
        ? 'Web app (frontend/dist deployed)'
        : 'Web app: NOTHING DEPLOYED, frontend/dist did not exist at synth; build the frontend and deploy again',
    });
  }

  /**
   * Reserved concurrency on the functions that call paid per-request services (the verification
   * function: Rekognition, and through it Textract and Face Liveness): at most that many run at
   * once, whatever arrives, which bounds the cost of an abusive day (docs/deploy.md).
   */
  private limitCostlyFunctions(api: ApiDefinition, functions: Functions, config: DeployConfig): void {
    if (config.verificationConcurrency === undefined) return;
    for (const [name, fn] of Object.entries(api.functions)) {
      if (!fn.services?.includes('faces')) continue;
      (functions.get(name).node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = config.verificationConcurrency;
    }
  }
}
