import path from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import type { LoggingSettings } from '../config.ts';
import { securetaskFunction } from './handler.ts';
import { functionEnvironment } from '../../api/environment.ts';
import type { SecureTaskConfig } from '../../api/config.ts';
import type { ApiDefinition, FunctionService } from '../../api/types.ts';
import type { Data } from './data.ts';
import type { Liveness } from './liveness.ts';
import type { Mail } from './mail.ts';
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
  mail: Mail;
  /** The browser role of liveness checks, and the grants of the functions that run them. */
  liveness: Liveness;
  /** The API's URL; resolved late, because the API is built after its authorizer. */
  graphqlUrl: string;
  /** The web app's URL (links in emails); resolved late, the site is built after the functions. */
  webUrl: string;
  /**
   * Functions the API itself refers to (its authorizer). They cannot call the API: its URL in
   * their environment would make the API depend on them and them on it, a cycle CloudFormation refuses.
   */
  referencedByApi: string[];
  /** Where a description entry lives on disk; tests point missing handlers at a stub. */
  entryPath?: (entry: string) => string;
  /** Log level and debug sampling of every function. */
  logging: LoggingSettings;
}

export { handlerBundling } from './handler.ts';

/** Why `Resource: *` is right for Rekognition and Textract: calls on image bytes have no resource to name. */
const IMAGE_CALLS_HAVE_NO_RESOURCE = 'Rekognition DetectFaces and CompareFaces and Textract AnalyzeID on image bytes have no resource-level permissions.';

/**
 * One Lambda function per function of the description, each built by `securetaskFunction`
 * (Node 22 on arm64, its own log group and role, X-Ray, Powertools settings) and, through grant* methods,
 * exactly the tables (read, read/write or append-only), topics (publish), image bucket access
 * and services (Rekognition, Face Liveness, Textract AnalyzeID, SES from the sender's domain, KMS Sign) the description lists.
 */
export class Functions extends Construct {
  private readonly functions = new Map<string, nodejs.NodejsFunction>();
  private readonly tokens: Tokens;
  private readonly mail: Mail;
  private readonly liveness: Liveness;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    this.tokens = props.tokens;
    this.mail = props.mail;
    this.liveness = props.liveness;
    const { api, config } = props;
    const deployment = {
      topicArn: (topic: string) => props.topics.topic(topic).topicArn,
      graphqlUrl: props.graphqlUrl,
      imagesBucket: props.storage.images.bucketName,
      webUrl: props.webUrl,
      livenessRoleArn: props.liveness.roleArn,
    };
    const entryPath = props.entryPath ?? ((entry: string) => path.join(props.projectRoot, entry));

    for (const [name, fn] of Object.entries(api.functions)) {
      if (props.referencedByApi.includes(name) && fn.callsApi?.length) {
        throw new Error(`${name} cannot call the API: the API refers to it, and CloudFormation refuses the cycle its URL would make`);
      }
      const handler = securetaskFunction(this, name, {
        functionName: `${api.name}-${config.stage}-${name}`,
        serviceName: name,
        entry: entryPath(fn.entry),
        projectRoot: props.projectRoot,
        timeoutSeconds: fn.timeoutSeconds ?? 10,
        // Only what this function uses (api/environment.ts), as locally.
        environment: functionEnvironment(api, config, name, deployment),
        logging: props.logging,
        nativeModules: fn.nativeModules,
      });

      for (const { table, access } of fn.tables ?? []) {
        if (access === 'read') props.data.table(table).grantReadData(handler);
        else if (access === 'append') props.data.table(table).grant(handler, 'dynamodb:PutItem');
        else props.data.table(table).grantReadWriteData(handler);
      }
      for (const topic of fn.publishes ?? []) props.topics.grantPublish(topic, handler);
      if (fn.images) props.storage.grantImages(handler, fn.images);
      for (const service of fn.services ?? []) this.grantService(handler, service);
      this.functions.set(name, handler);
    }
  }

  private grantService(handler: nodejs.NodejsFunction, service: FunctionService): void {
    if (service === 'signTokens') return this.tokens.grantSign(handler);
    if (service === 'email') return this.mail.grantSend(handler);
    if (service === 'liveness') return this.liveness.grantLivenessChecks(handler);
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
    service satisfies never;
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
