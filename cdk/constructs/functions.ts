import path from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.ts';
import type { LoggingSettings } from '../config.ts';
import { securetaskFunction } from './handler.ts';
import { functionEnvironment } from '../../api/environment.ts';
import type { SecureTaskConfig } from '../../api/config.ts';
import { grantsOf, type GrantTargets } from '../../api/grants.ts';
import type { ApiDefinition, FunctionDefinition } from '../../api/types.ts';
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
  /** The API's ARN, for the fields functions call with IAM; resolved late, as the URL. */
  graphqlApiArn: string;
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
 * (Node 22 on arm64, its own log group and role, X-Ray, Powertools settings), its role allowed
 * exactly what `grantsOf` (api/grants.ts) says the description grants it: the tables (read,
 * read/write or append-only), topics (publish), image bucket access, services (Rekognition, Face
 * Liveness and its browser role, Textract AnalyzeID, SES from the sender's domain) and API
 * fields; the local runtime checks each call against the same statements. KMS Sign on the token
 * key, the topics' encryption key and the liveness browser role's trust are granted here, as
 * only AWS has them.
 */
export class Functions extends Construct {
  private readonly functions = new Map<string, nodejs.NodejsFunction>();
  private readonly tokens: Tokens;
  private readonly mail: Mail;
  private readonly storage: Storage;
  private readonly topics: Topics;
  private readonly liveness: Liveness;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    this.tokens = props.tokens;
    this.mail = props.mail;
    this.storage = props.storage;
    this.topics = props.topics;
    this.liveness = props.liveness;
    const { api, config } = props;
    const deployment = {
      topicArn: (topic: string) => props.topics.topic(topic).topicArn,
      graphqlUrl: props.graphqlUrl,
      imagesBucket: props.storage.images.bucketName,
      webUrl: props.webUrl,
      livenessRoleArn: props.liveness.roleArn,
    };
    const targets: GrantTargets = {
      tableArn: (table) => props.data.table(table).tableArn,
      topicArn: (topic) => props.topics.topic(topic).topicArn,
      imagesBucketArn: props.storage.images.bucketArn,
      graphqlApiArn: props.graphqlApiArn,
      mailIdentityArns: props.mail.identityArns(),
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

      // What the description grants it (api/grants.ts), the statements the local runtime checks its calls against.
      for (const statement of grantsOf(api, name, targets)) handler.addToRolePolicy(new iam.PolicyStatement(statement));
      this.acknowledgeGrants(handler, fn);
      this.functions.set(name, handler);
    }
  }

  /**
   * Why the wildcards in the described grants are right, for cdk-nag; and what only AWS has: the
   * token key (KMS), the topics' encryption key and the liveness browser role, whose trust names
   * the functions that run liveness checks.
   */
  private acknowledgeGrants(handler: nodejs.NodejsFunction, fn: FunctionDefinition): void {
    const services = new Set(fn.services ?? []);
    if (services.has('signTokens')) this.tokens.grantSign(handler);
    if (services.has('email')) this.mail.acknowledgeSendGrant(handler.role!);
    if (services.has('faces') || services.has('documents')) acknowledge(handler.role!, { 'AwsSolutions-IAM5[Resource::*]': IMAGE_CALLS_HAVE_NO_RESOURCE });
    if (services.has('liveness')) this.liveness.grantLivenessChecks(handler);
    if (fn.images) this.storage.acknowledgeImageGrant(handler.role!);
    for (const topic of fn.publishes ?? []) this.topics.grantEncrypt(topic, handler);
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
