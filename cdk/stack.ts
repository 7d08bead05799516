import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ApiDefinition } from '../api/types.ts';
import { publicVerificationPolicy } from '../api/verification-policy.ts';
import type { DeployConfig } from './config.ts';
import { Api } from './constructs/api.ts';
import { Data } from './constructs/data.ts';
import { Functions } from './constructs/functions.ts';
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
 * SecureTask in one stack, wired from the description: data, storage, tokens, topics,
 * functions, the API, the real-time path and the web app, one construct each.
 */
export class SecureTaskStack extends Stack {
  /** The constructs, for tests and for whoever extends the stack (the verification issue). */
  readonly parts: {
    data: Data;
    storage: Storage;
    tokens: Tokens;
    topics: Topics;
    functions: Functions;
    api: Api;
    realTime: RealTime;
    web: WebApp;
  };

  constructor(scope: Construct, id: string, props: SecureTaskStackProps) {
    super(scope, id, props);
    const { api, config, projectRoot } = props;
    const retain = config.retainData;
    const authorizer = api.authModes.find((mode) => mode.type === 'AWS_LAMBDA')?.function;

    const data = new Data(this, 'Data', { api, stage: config.stage, retain });
    const tokens = new Tokens(this, 'Tokens', { retain });
    const topics = new Topics(this, 'Topics', { api, stage: config.stage, retain });
    // The web origin is needed by the image bucket's CORS and the site's CSP needs the bucket.
    let web: WebApp | undefined;
    const storage = new Storage(this, 'Storage', { api, stage: config.stage, webOrigin: config.webOrigin ?? Lazy.string({ produce: () => web!.url }), retain });
    let graphql: Api | undefined;
    const functions = new Functions(this, 'Functions', {
      api,
      config,
      projectRoot,
      data,
      topics,
      storage,
      tokens,
      graphqlUrl: Lazy.string({ produce: () => graphql!.graphqlApi.graphqlUrl }),
      webUrl: config.webOrigin ?? Lazy.string({ produce: () => web!.url }),
      referencedByApi: authorizer ? [authorizer] : [],
      entryPath: props.entryPath,
    });
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
    const realTime = new RealTime(this, 'RealTime', { api, data, topics, functions, graphql });
    web = new WebApp(this, 'Web', {
      assetsPath: props.webAssetsPath,
      connectOrigins: [`https://*.appsync-api.${this.region}.amazonaws.com`, `wss://*.appsync-realtime-api.${this.region}.amazonaws.com`, storage.imagesOrigin],
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
    this.parts = { data, storage, tokens, topics, functions, api: graphql, realTime, web };

    new CfnOutput(this, 'GraphQLUrl', { value: graphql.graphqlApi.graphqlUrl, description: 'GraphQL endpoint (HTTPS)' });
    new CfnOutput(this, 'RealtimeUrl', { value: graphql.realtimeUrl, description: 'Subscriptions endpoint (WebSocket)' });
    const apiKeyId = graphql.apiKeyId;
    if (apiKeyId) new CfnOutput(this, 'ApiKeyId', { value: apiKeyId, description: 'Onboarding API key (public by design: it only opens startVerification/submitVerification)' });
    new CfnOutput(this, 'WebUrl', {
      value: web.url,
      description: web.deploysAssets
        ? 'Web app (frontend/dist deployed)'
        : 'Web app: NOTHING DEPLOYED, frontend/dist did not exist at synth; build the frontend and deploy again',
    });
  }
}
