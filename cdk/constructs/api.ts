import path from 'node:path';
import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import { tableEnvironment } from '../../api/naming.ts';
import type { ApiDefinition, AuthMode, ResolverDefinition } from '../../api/types.ts';
import type { ResolverCode } from '../resolver-code.ts';
import type { Data } from './data.ts';
import type { Functions } from './functions.ts';

/** Props of {@link Api}. */
export interface ApiProps {
  api: ApiDefinition;
  stage: string;
  projectRoot: string;
  /** How long AppSync caches an authorizer result per token. */
  authorizerResultTtlSeconds: number;
  /** Every resolver file of the description, bundled by `bundleResolvers`. */
  resolverCode: ResolverCode;
  data: Data;
  functions: Functions;
}

/**
 * The AppSync GraphQL API as the description has it: the schema file, its auth modes in order
 * (the first is the default), its data sources, and every resolver and pipeline function as
 * APPSYNC_JS, from the same bundles the local runtime serves. Field logs carry errors only,
 * without request/response bodies or headers, so tokens never reach CloudWatch.
 */
export class Api extends Construct {
  /** The AppSync API. */
  readonly graphqlApi: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { api } = props;
    const [defaultMode, ...additionalModes] = api.authModes.map((mode) => this.authorizationMode(mode, props));

    this.graphqlApi = new appsync.GraphqlApi(this, 'GraphqlApi', {
      name: `${api.name}-${props.stage}`,
      // Only schema.graphql: AppSync declares its own scalars and directives (api/appsync-builtins.graphql is for tools).
      definition: appsync.Definition.fromFile(path.join(props.projectRoot, api.schema)),
      authorizationConfig: { defaultAuthorization: defaultMode, additionalAuthorizationModes: additionalModes },
      xrayEnabled: true,
      // What resolvers read as ctx.env, exactly as the local runtime sets it.
      environmentVariables: { ...tableEnvironment(api, props.stage), ...api.resolverEnvironment },
      // The same numbers the local engine enforces.
      queryDepthLimit: api.limits?.queryDepth,
      resolverCountLimit: api.limits?.resolverCount,
    });
    // Logging set on the L1: the L2's logConfig adds a custom-resource Lambda for the retention
    // and a role with an AWS managed policy; this role can write this API's log group and no other.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.graphqlApi.apiId}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logRole = new iam.Role(this, 'LogRole', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    logGroup.grantWrite(logRole);
    (this.graphqlApi.node.defaultChild as appsync.CfnGraphQLApi).logConfig = {
      cloudWatchLogsRoleArn: logRole.roleArn,
      fieldLogLevel: appsync.FieldLogLevel.ERROR,
      excludeVerboseContent: true,
    };
    acknowledge(this.graphqlApi, {
      'AwsSolutions-ASC3':
        'Field logging is on at ERROR; verbose content is excluded on purpose (DESIGN: no secrets in logs): it would write ' +
        'request headers (session tokens, the API key) and resolver payloads (emails, presigned URLs) to CloudWatch.',
    });

    const dataSources = new Map<string, appsync.BaseDataSource>();
    for (const [name, source] of Object.entries(api.dataSources)) {
      const created =
        source.kind === 'DYNAMODB'
          ? this.graphqlApi.addDynamoDbDataSource(name, props.data.table(source.table))
          : source.kind === 'LAMBDA'
            ? this.graphqlApi.addLambdaDataSource(name, props.functions.get(source.function))
            : this.graphqlApi.addNoneDataSource(name);
      // Transactions name other tables; the data source's role may write those too, and no others.
      if (source.kind === 'DYNAMODB') {
        for (const table of source.transactTables ?? []) props.data.table(table).grantReadWriteData(created as appsync.DynamoDbDataSource);
      }
      if (source.kind === 'LAMBDA') {
        const target = Stack.of(this).resolve((props.functions.get(source.function).node.defaultChild as CfnResource).logicalId) as string;
        acknowledge(created, { [`AwsSolutions-IAM5[Resource::<${target}.Arn>:*]`]: "The data source may invoke its one function and that function's versions, as CDK grants it." });
      }
      dataSources.set(name, created);
    }
    const dataSource = (name: string, owner: string) => {
      const found = dataSources.get(name);
      if (!found) throw new Error(`${owner} uses unknown data source "${name}"`);
      return found;
    };
    const code = (file: string) => {
      const bundled = props.resolverCode.get(file);
      if (bundled === undefined) throw new Error(`no bundle for ${file}`);
      return appsync.Code.fromInline(bundled);
    };

    const pipelineFunctions = new Map<string, appsync.AppsyncFunction>();
    for (const [name, fn] of Object.entries(api.pipelineFunctions)) {
      pipelineFunctions.set(
        name,
        new appsync.AppsyncFunction(this, `Function${name}`, {
          api: this.graphqlApi,
          name,
          dataSource: dataSource(fn.dataSource, `pipeline function ${name}`),
          runtime: appsync.FunctionRuntime.JS_1_0_0,
          code: code(fn.code),
        }),
      );
    }

    for (const [field, resolver] of Object.entries(api.resolvers)) {
      const [typeName, fieldName] = field.split('.');
      new appsync.Resolver(this, `Resolver${typeName}${fieldName}`, {
        api: this.graphqlApi,
        typeName,
        fieldName,
        runtime: appsync.FunctionRuntime.JS_1_0_0,
        code: code(resolver.code),
        ...this.resolverTarget(field, resolver, dataSource, pipelineFunctions),
      });
    }
  }

  /** The API's WebSocket URL for subscriptions. */
  get realtimeUrl(): string {
    return (this.graphqlApi.node.defaultChild as appsync.CfnGraphQLApi).attrRealtimeUrl;
  }

  /** The id of the onboarding API key (it is also the key clients send). */
  get apiKeyId(): string | undefined {
    const key = this.graphqlApi.node.tryFindChild('DefaultApiKey') as appsync.CfnApiKey | undefined;
    return key?.attrApiKeyId;
  }

  /**
   * Lets `grantee` call exactly the given fields (`Type.field`) with IAM auth: `appsync:GraphQL`
   * on those field ARNs (one statement per type), nothing on the rest of the API.
   */
  grantCalls(grantee: iam.IGrantable, fields: string[]): void {
    const byType = new Map<string, string[]>();
    for (const field of fields) {
      const [typeName, fieldName] = field.split('.');
      if (!typeName || !fieldName) throw new Error(`callsApi names "${field}"; expected Type.field`);
      byType.set(typeName, [...(byType.get(typeName) ?? []), fieldName]);
    }
    for (const [typeName, names] of byType) {
      this.graphqlApi.grant(grantee, appsync.IamResource.ofType(typeName, ...names), 'appsync:GraphQL');
    }
  }

  private resolverTarget(
    field: string,
    resolver: ResolverDefinition,
    dataSource: (name: string, owner: string) => appsync.BaseDataSource,
    pipelineFunctions: Map<string, appsync.AppsyncFunction>,
  ): Pick<appsync.ResolverProps, 'dataSource' | 'pipelineConfig'> {
    if (resolver.kind === 'UNIT') return { dataSource: dataSource(resolver.dataSource, field) };
    return {
      pipelineConfig: resolver.functions.map((name) => {
        const fn = pipelineFunctions.get(name);
        if (!fn) throw new Error(`${field} uses unknown pipeline function "${name}"`);
        return fn;
      }),
    };
  }

  private authorizationMode(mode: AuthMode, props: ApiProps): appsync.AuthorizationMode {
    switch (mode.type) {
      case 'AWS_LAMBDA':
        return {
          authorizationType: appsync.AuthorizationType.LAMBDA,
          lambdaAuthorizerConfig: {
            handler: props.functions.get(mode.function),
            resultsCacheTtl: Duration.seconds(props.authorizerResultTtlSeconds),
            validationRegex: mode.identityValidationExpression,
          },
        };
      case 'API_KEY':
        return {
          authorizationType: appsync.AuthorizationType.API_KEY,
          // No expiry here: one computed at synth would change the template every day and be set
          // back by every deploy. AppSync gives a new key 7 days; ApiKeyRenewal keeps it ahead.
          apiKeyConfig: { description: 'Onboarding and face sign-in (renewed daily by the apiKeyRenewal function)' },
        };
      case 'AWS_IAM':
        return { authorizationType: appsync.AuthorizationType.IAM };
    }
  }
}
