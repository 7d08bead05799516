import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { GraphQLSchema } from 'graphql';
import type { SecureTaskConfig } from '../../api/config.ts';
import { tableEnvironment } from '../../api/naming.ts';
import type { ApiDefinition, ResolverDefinition } from '../../api/types.ts';
import type { ApiKey } from '../appsync/index.ts';
import { createAuthenticator } from '../appsync/index.ts';
import type { LocalCredentials } from '../appsync/index.ts';
import { createLambdaAuthorizer, type AuthorizerEvent } from '../appsync/index.ts';
import { createEngine, type Engine } from '../appsync/index.ts';
import { SubscriptionHub, subscriptionsByMutation } from '../appsync/index.ts';
import { bundleResolver } from '../../api/resolver-bundle.ts';
import { DirectiveRules } from '../appsync/index.ts';
import { createDynamoDBDataSource } from '../appsync/index.ts';
import { noneDataSource, type DataSource } from '../appsync/index.ts';
import { createLambdaDataSource } from '../appsync/index.ts';
import type { NextTokenCodec } from '../appsync/index.ts';
import type { LoadedResolver } from '../appsync/index.ts';
import { assertAppSyncRules } from '../appsync/index.ts';
import { loadSandboxedModule, type SandboxedModule } from '../appsync/index.ts';
import { loadAppSyncSchema } from '../appsync/index.ts';

/** An API ready to serve: schema, auth rules, resolvers and the functions behind it. */
export interface LoadedApi {
  schema: GraphQLSchema;
  rules: DirectiveRules;
  resolvers: Map<string, LoadedResolver>;
  /** Invokes a function of the description, as Lambda would (see local/stack/functions.ts). */
  invokeFunction(name: string, event: unknown): Promise<unknown>;
}

export interface LoadApiOptions {
  projectRoot: string;
  api: ApiDefinition;
  dynamodb: DynamoDBClient;
  /** Logical table name -> physical name. */
  tableName: (table: string) => string;
  nextTokens: NextTokenCodec;
  /** What Lambda data sources call. */
  invokeFunction(name: string, event: unknown): Promise<unknown>;
  /** Progress lines for the person waiting. */
  log?: (line: string) => void;
}

/**
 * Reads the declarative description and makes it runnable: the schema with AppSync's scalars,
 * every resolver bundled as for AWS, checked against the APPSYNC_JS rules (failing with file
 * and line) and loaded into its sandbox, data sources wired.
 */
export async function loadApi(options: LoadApiOptions): Promise<LoadedApi> {
  const { api, projectRoot } = options;
  const schema = loadAppSyncSchema(await readFile(path.join(projectRoot, api.schema), 'utf8'));
  // The API's depth and resolver-count limits travel with its schema to the engine.
  if (api.limits) schema.extensions = { ...schema.extensions, appsyncLimits: api.limits };
  const modes = api.authModes.map((m) => m.type);
  const rules = new DirectiveRules(schema, modes[0], modes);

  const { invokeFunction } = options;
  const dataSources = new Map<string, DataSource>();
  for (const [name, source] of Object.entries(api.dataSources)) {
    if (source.kind === 'DYNAMODB') {
      if (!api.tables[source.table]) throw new Error(`data source ${name} names unknown table ${source.table}`);
      dataSources.set(name, createDynamoDBDataSource({ client: options.dynamodb, tableName: options.tableName(source.table), tokens: options.nextTokens }));
    } else if (source.kind === 'LAMBDA') {
      dataSources.set(name, createLambdaDataSource((event) => invokeFunction(source.function, event)));
    } else {
      dataSources.set(name, noneDataSource);
    }
  }
  const dataSource = (name: string, owner: string) => {
    const found = dataSources.get(name);
    if (!found) throw new Error(`${owner} uses unknown data source "${name}"`);
    return found;
  };

  const codeFiles = new Set<string>([
    ...Object.values(api.resolvers).map((r) => r.code),
    ...Object.values(api.pipelineFunctions).map((f) => f.code),
  ]);
  options.log?.(`bundling ${codeFiles.size} resolver files with esbuild`);
  const bundles = await Promise.all([...codeFiles].map((file) => bundleResolver(projectRoot, file)));
  options.log?.('checking them against the APPSYNC_JS rules');
  await assertAppSyncRules(projectRoot, [...new Set(bundles.flatMap((b) => b.inputs))]);
  const modules = new Map<string, SandboxedModule>();
  for (const bundle of bundles) {
    const module = await loadSandboxedModule(bundle);
    for (const handler of ['request', 'response'] as const) {
      if (!module.has(handler)) throw new Error(`${bundle.entry} must export a ${handler} function`);
    }
    modules.set(bundle.entry, module);
  }

  const resolvers = new Map<string, LoadedResolver>();
  for (const [field, resolver] of Object.entries(api.resolvers)) {
    assertFieldExists(schema, field);
    resolvers.set(field, loadResolver(field, resolver, modules, api, dataSource));
  }
  return { schema, rules, resolvers, invokeFunction };
}

/**
 * The engine that answers GraphQL requests, authenticated by the description's modes: the Lambda
 * authorizer, API keys and SigV4 (the local IAM user), and the hub its subscriptions go through.
 */
export function createApiEngine(options: {
  api: ApiDefinition;
  config: SecureTaskConfig;
  loaded: LoadedApi;
  apiKeys: ApiKey[];
  /** The IAM principals that may sign requests (the local user, the functions' roles), by access key. */
  iamCaller: (accessKeyId: string) => LocalCredentials | undefined;
  apiId: string;
  accountId: string;
  /** AppSync's `domainName` in resolver contexts. */
  domainName: string;
}): { engine: Engine; hub: SubscriptionHub } {
  const { api, config, loaded } = options;
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
    apiKeys: () => options.apiKeys,
    iamCredentials: options.iamCaller,
    region: config.region,
    apiId: options.apiId,
    accountId: options.accountId,
  });
  const hub = new SubscriptionHub(loaded.schema, subscriptionsByMutation(loaded.schema));
  const engine = createEngine({
    schema: loaded.schema,
    rules: loaded.rules,
    resolvers: loaded.resolvers,
    authenticate,
    env: { ...tableEnvironment(api, config.stage), ...api.resolverEnvironment },
    domainName: options.domainName,
    hub,
  });
  return { engine, hub };
}

function loadResolver(
  field: string,
  resolver: ResolverDefinition,
  modules: Map<string, SandboxedModule>,
  api: ApiDefinition,
  dataSource: (name: string, owner: string) => DataSource,
): LoadedResolver {
  const module = modules.get(resolver.code)!;
  if (resolver.kind === 'UNIT') return { kind: 'UNIT', module, dataSource: dataSource(resolver.dataSource, field) };
  return {
    kind: 'PIPELINE',
    module,
    functions: resolver.functions.map((name) => {
      const fn = api.pipelineFunctions[name];
      if (!fn) throw new Error(`${field} uses unknown pipeline function "${name}"`);
      return { module: modules.get(fn.code)!, dataSource: dataSource(fn.dataSource, `function ${name}`) };
    }),
  };
}

function assertFieldExists(schema: GraphQLSchema, field: string): void {
  const [typeName, fieldName] = field.split('.');
  const type = schema.getType(typeName);
  if (!type || !('getFields' in type) || !(fieldName in type.getFields())) {
    throw new Error(`a resolver is attached to ${field}, which the schema does not have`);
  }
}
