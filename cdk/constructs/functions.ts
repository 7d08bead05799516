import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import { functionEnvironment } from '../../api/naming.ts';
import type { SecureTaskConfig } from '../../api/config.ts';
import type { ApiDefinition, FunctionService } from '../../api/types.ts';
import type { Data } from './data.ts';
import type { Storage } from './storage.ts';
import type { Tokens } from './tokens.ts';
import type { Topics } from './topics.ts';

/** Props of {@link Functions}. */
export interface FunctionsProps {
  api: ApiDefinition;
  config: SecureTaskConfig;
  projectRoot: string;
  data: Data;
  topics: Topics;
  storage: Storage;
  tokens: Tokens;
  /** The API's URL; resolved late, because the API is built after its authorizer. */
  graphqlUrl: string;
  /** The web app's URL (links in emails); resolved late, the site is built after the functions. */
  webUrl: string;
  /**
   * Functions the API itself refers to (its authorizer). They cannot be told the API's URL:
   * the API would depend on them and they on it, a cycle CloudFormation refuses.
   */
  referencedByApi: string[];
  /** Where a description entry lives on disk; tests point missing handlers at a stub. */
  entryPath?: (entry: string) => string;
}

/**
 * How every handler is built: esbuild from node_modules (no Docker), ESM for Node 22 on
 * Graviton, minified. The AWS SDK is bundled, not taken from the runtime, so AWS runs the
 * SDK version the handlers were tested with offline (checksum defaults changed in 2025).
 */
export function handlerBundling(): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    bundleAwsSDK: true,
    mainFields: ['module', 'main'],
    // CommonJS dependencies inside an ES module still call require().
    banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    forceDockerBundling: false,
  };
}

/** Why `Resource: *` is right for Rekognition and Textract: calls on image bytes have no resource to name. */
const IMAGE_CALLS_HAVE_NO_RESOURCE = 'Rekognition DetectFaces and CompareFaces and Textract AnalyzeID on image bytes have no resource-level permissions.';

/**
 * One Lambda function per function of the description: Node 22 on arm64, its own log group
 * with a retention, its own role that can write that log group and, through grant* methods,
 * exactly the tables (read, read/write or append-only), topics (publish), image bucket access
 * and services (Rekognition, Textract AnalyzeID, SES from the sender's domain, KMS Sign) the description lists.
 */
export class Functions extends Construct {
  private readonly functions = new Map<string, nodejs.NodejsFunction>();
  private readonly tokens: Tokens;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    this.tokens = props.tokens;
    const { api, config } = props;
    const environment = functionEnvironment(api, config, {
      topicArn: (topic) => props.topics.topic(topic).topicArn,
      graphqlUrl: props.graphqlUrl,
      imagesBucket: props.storage.images.bucketName,
      webUrl: props.webUrl,
    });
    const { GRAPHQL_URL, ...withoutUrl } = environment;
    const entryPath = props.entryPath ?? ((entry: string) => path.join(props.projectRoot, entry));

    for (const [name, fn] of Object.entries(api.functions)) {
      const functionName = `${api.name}-${config.stage}-${name}`;
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Our own role instead of AWSLambdaBasicExecutionRole, whose log rights span every group.
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `SecureTask ${name} function`,
      });
      logGroup.grantWrite(role);

      const handler = new nodejs.NodejsFunction(this, name, {
        functionName,
        entry: entryPath(fn.entry),
        handler: 'handler',
        projectRoot: props.projectRoot,
        depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: Duration.seconds(fn.timeoutSeconds ?? 10),
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        environment: {
          ...(props.referencedByApi.includes(name) ? withoutUrl : { ...withoutUrl, GRAPHQL_URL }),
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: handlerBundling(),
      });
      handler.node.addDependency(logGroup);
      acknowledge(handler, {
        'AwsSolutions-L1': 'Node.js 22 on purpose: the runtime the design and the local runtime are tested against (LOCAL.md); 24 follows when Node 24 runs locally.',
      });

      for (const { table, access } of fn.tables ?? []) {
        if (access === 'read') props.data.table(table).grantReadData(handler);
        else if (access === 'append') props.data.table(table).grant(handler, 'dynamodb:PutItem');
        else props.data.table(table).grantReadWriteData(handler);
      }
      for (const topic of fn.publishes ?? []) props.topics.grantPublish(topic, handler);
      if (fn.images) props.storage.grantImages(handler, fn.images);
      for (const service of fn.services ?? []) this.grantService(handler, service, config);
      this.functions.set(name, handler);
    }
  }

  private grantService(handler: nodejs.NodejsFunction, service: FunctionService, config: SecureTaskConfig): void {
    if (service === 'signTokens') return this.tokens.grantSign(handler);
    if (service === 'faces') {
      handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['rekognition:DetectFaces', 'rekognition:CompareFaces'], resources: ['*'] }));
      acknowledge(handler.role!, { 'AwsSolutions-IAM5[Resource::*]': IMAGE_CALLS_HAVE_NO_RESOURCE });
      return;
    }
    if (service === 'documents') {
      handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['textract:AnalyzeID'], resources: ['*'] }));
      acknowledge(handler.role!, { 'AwsSolutions-IAM5[Resource::*]': IMAGE_CALLS_HAVE_NO_RESOURCE });
      return;
    }
    // Email: only from the configured sender's domain identity (and addresses of that domain).
    const domain = /@([^>\s]+)>?$/.exec(config.mailFrom)?.[1] ?? config.mailFrom;
    const { region, account } = Stack.of(this);
    const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    acknowledge(handler.role!, {
      [`AwsSolutions-IAM5[Resource::arn:aws:ses:${shown(region, 'AWS::Region')}:${shown(account, 'AWS::AccountId')}:identity/*@${domain}]`]: 'Any sender address of the one configured domain.',
    });
    handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [`arn:aws:ses:${region}:${account}:identity/${domain}`, `arn:aws:ses:${region}:${account}:identity/*@${domain}`],
      }),
    );
  }

  /** The function the description calls `name`; throws for a name it does not have. */
  get(name: string): nodejs.NodejsFunction {
    const found = this.functions.get(name);
    if (!found) throw new Error(`the API description has no function "${name}"`);
    return found;
  }

  /** Every function, keyed by its name in the description. */
  all(): ReadonlyMap<string, nodejs.NodejsFunction> {
    return this.functions;
  }
}
