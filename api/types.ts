/**
 * The vocabulary of the declarative API description (`api/definition.ts`). Both the local
 * runtime (`local/`) and the CDK app (`cdk/`) read a value of type `ApiDefinition`; neither
 * writes a table name, resolver list or auth setting of its own.
 */

export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes?: IndexDefinition[];
  /** Stream view type when changes of this table drive something (real time, counters). */
  stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
  /** Attribute holding an epoch-seconds expiry that DynamoDB's TTL deletes by. */
  timeToLiveAttribute?: string;
}

export type DataSourceDefinition =
  | {
      kind: 'DYNAMODB';
      table: string;
      /** Other tables its transactions (TransactWriteItems / ConditionCheck) touch; the deployment grants them too. */
      transactTables?: string[];
    }
  | { kind: 'LAMBDA'; function: string }
  | { kind: 'NONE' };

/** What makes a function run, besides being an authorizer or a data source. */
export type FunctionTrigger =
  | {
      kind: 'TABLE_STREAM';
      table: string;
      /** Records per invocation (Lambda's event source mapping `batchSize`). */
      batchSize: number;
      /** Retries of a failing batch before it goes to the on-failure destination. */
      retryAttempts: number;
      /** Split a failing batch in two to find the record that fails. */
      bisectBatchOnError: boolean;
      /**
       * Seconds to gather records before invoking (Lambda's `MaximumBatchingWindowInSeconds`,
       * whole seconds, 0-300): 0 invokes with what a poll found, as soon as it found it.
       */
      batchingWindowSeconds: number;
      /**
       * The function answers which records failed (`batchItemFailures`, Lambda's
       * `FunctionResponseTypes: ReportBatchItemFailures`): a retry starts at the first failed
       * record instead of the start of the batch.
       */
      reportBatchItemFailures: boolean;
    }
  | { kind: 'TOPIC'; topic: string }
  /** Runs on a timer (EventBridge in AWS, a timer in the local runtime). */
  | { kind: 'SCHEDULE'; everyMinutes: number }
  /**
   * Runs once per deploy, before it completes (a CloudFormation custom resource in AWS, on create
   * and update; at start in the local runtime, before the fan-out begins): data migrations, which
   * must therefore be idempotent.
   */
  | { kind: 'DEPLOY' };

/** AWS services a function calls besides its tables and topics; the deployment grants each. */
export type FunctionService =
  /** Rekognition DetectFaces and CompareFaces (locally: the offline matcher's endpoint). */
  | 'faces'
  /**
   * Face Liveness: creates sessions and reads their results (Rekognition; locally its stand-in),
   * has Rekognition store their images in the image bucket, and vends the browser's credentials
   * (STS AssumeRole of the liveness role, `LIVENESS_ROLE_ARN`).
   */
  | 'liveness'
  /** Textract AnalyzeID on ID photos (locally: the offline ID reader's endpoint). */
  | 'documents'
  /** Sends email through the mailer (SES; locally the outbox). */
  | 'email'
  /** Signs session tokens with the token key (KMS Sign; locally the key folder). */
  | 'signTokens';

/** Settings of the config (api/config.ts) a function may read, each from one variable. */
export type FunctionSetting =
  /** The emails that are always admins: `ADMIN_EMAILS`, comma-separated. */
  | 'adminEmails'
  /** The verification policy, whole, as JSON: `VERIFICATION_POLICY`. */
  | 'verificationPolicy';

export interface FunctionDefinition {
  /** Module path from the project root, exporting `handler`. */
  entry: string;
  /**
   * Tables the function reads or writes; their names reach it as `<TABLE>_TABLE` variables.
   * `append` may only add items (PutItem): what the audit log needs, so that no function can
   * rewrite history.
   */
  tables?: { table: string; access: 'read' | 'readWrite' | 'append' }[];
  /** Access to the image bucket (ID documents, liveness images, reference faces): `IMAGES_BUCKET`. */
  images?: 'read' | 'readWrite';
  services?: FunctionService[];
  /** Settings of the config it reads: `ADMIN_EMAILS`, `VERIFICATION_POLICY`. */
  settings?: FunctionSetting[];
  /** Topics it publishes to; their ARNs reach it as `<TOPIC>_TOPIC_ARN` variables. */
  publishes?: string[];
  /** GraphQL fields it calls on the API itself with IAM (SigV4) auth, as `Type.field`. */
  callsApi?: string[];
  triggers?: FunctionTrigger[];
  timeoutSeconds?: number;
  /**
   * npm packages with native code the function needs (`sharp`): not bundled, but installed
   * beside the bundle for Lambda's platform (Linux, arm64). Locally node_modules has them.
   */
  nativeModules?: string[];
}

/** An SNS topic; its subscribers are the functions whose triggers name it. */
export interface TopicDefinition {
  description: string;
}

/** A pipeline function: one APPSYNC_JS module bound to one data source. */
export interface PipelineFunctionDefinition {
  code: string;
  dataSource: string;
}

export type ResolverDefinition =
  | { kind: 'UNIT'; code: string; dataSource: string }
  | { kind: 'PIPELINE'; code: string; functions: string[] };

export type AuthMode =
  | {
      type: 'AWS_LAMBDA';
      /** The function (a key of `functions`) that authorizes each request. */
      function: string;
      // The result TTL is a setting (`authorizerResultTtlSeconds` in api/config.ts), not part of the API's shape.
      /** Checked against the token before the authorizer runs. */
      identityValidationExpression?: string;
    }
  | { type: 'API_KEY'; expiresInDays: number }
  | { type: 'AWS_IAM' };

export type AuthModeType = AuthMode['type'];

/**
 * The image bucket: the ID photo uploaded for a verification and the images Rekognition Face
 * Liveness stores for its checks, and the reference face kept for face sign-in, each under its
 * prefix; nothing else is stored there.
 */
export interface ImageBucketDefinition {
  /** The last part of the bucket's name (see `physicalBucketName`). */
  name: string;
  /** Verification uploads (`uploads/<session>/...`); deleted `uploadsExpireDays` after they were written, whatever else happens. */
  uploadsPrefix: string;
  uploadsExpireDays: number;
  /** Reference faces (`faces/<user>/reference`), kept until the user is erased. */
  facesPrefix: string;
}

/**
 * Face liveness: the browser runs the check with short-lived credentials that the functions with
 * the `liveness` service vend per check (STS AssumeRole of one role, with a session policy). The
 * role, its trust and the session policy are all made from this.
 */
export interface LivenessDefinition {
  /** What the browser's credentials allow: the role's policy and every session policy. */
  browserActions: string[];
  /** How long the browser's credentials live (STS allows 900 seconds at the least). */
  credentialSeconds: number;
}

export interface ApiDefinition {
  name: string;
  /** Path of the SDL file from the project root. */
  schema: string;
  tables: Record<string, TableDefinition>;
  topics: Record<string, TopicDefinition>;
  /** The image bucket; functions reach it with `images`. */
  images: ImageBucketDefinition;
  functions: Record<string, FunctionDefinition>;
  dataSources: Record<string, DataSourceDefinition>;
  pipelineFunctions: Record<string, PipelineFunctionDefinition>;
  /** Keyed `Type.field`. */
  resolvers: Record<string, ResolverDefinition>;
  /** The first mode is the default; the others are additional modes. */
  authModes: [AuthMode, ...AuthMode[]];
  /** Set when a function has the `liveness` service. */
  liveness?: LivenessDefinition;
  /** Variables every resolver sees as `ctx.env`. */
  resolverEnvironment: Record<string, string>;
  /**
   * How much one request may ask for: AppSync's `queryDepthLimit` (1-75) and `resolverCountLimit`
   * (1-10000) on the GraphqlApi. The CDK app sets them; the local engine enforces the same numbers.
   */
  limits?: { queryDepth: number; resolverCount: number };
}
