import type { ApiDefinition, FunctionDefinition, FunctionService } from './types.ts';

/**
 * One statement of a function's identity-based policy, in IAM's own terms: it allows `actions`
 * on `resources` (ARNs, `*` and `?` as wildcards), under `conditions` when given
 * (`{ StringEquals: { 'kms:RequestAlias': 'alias/x' } }`).
 */
export interface GrantStatement {
  actions: string[];
  resources: string[];
  conditions?: Record<string, Record<string, string>>;
}

/**
 * Where a deployment puts what the statements name. CDK passes its tokens (`table.tableArn`),
 * the local runtime its own ARNs; the statements are the same.
 */
export interface GrantTargets {
  /** The ARN of a table of the description. */
  tableArn(table: string): string;
  /** The ARN of a topic of the description. */
  topicArn(topic: string): string;
  /** The ARN of the image bucket (`arn:aws:s3:::name`). */
  imagesBucketArn: string;
  /** The ARN of the GraphQL API (`arn:aws:appsync:<region>:<account>:apis/<id>`). */
  graphqlApiArn: string;
  /** The SES identities a function may send from (the sender's domain, and any address of it). */
  mailIdentityArns: string[];
  /** The role the browser's Face Liveness credentials come from (`LIVENESS_ROLE_ARN`), which the `liveness` functions assume. */
  livenessRoleArn: string;
}

/** DynamoDB's read actions, as CDK's `grantReadData` lists them. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:GetItem',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** DynamoDB's write actions, as CDK's `grantWriteData` lists them. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/**
 * The append-only grant: PutItem and nothing else. No UpdateItem or DeleteItem, so an entry once
 * written is never rewritten or removed by a function; the writer's `attribute_not_exists`
 * condition keeps a PutItem from replacing one.
 */
export const TABLE_APPEND_ACTIONS = ['dynamodb:PutItem'];

const SERVICE_ACTIONS: Record<Exclude<FunctionService, 'email' | 'signTokens' | 'liveness'>, string[]> = {
  faces: ['rekognition:DetectFaces', 'rekognition:CompareFaces'],
  documents: ['textract:AnalyzeID'],
};

/** Face Liveness's session calls; like the calls on image bytes they have no resource. */
export const LIVENESS_SESSION_ACTIONS = ['rekognition:CreateFaceLivenessSession', 'rekognition:GetFaceLivenessSessionResults'];

/**
 * Everything function `name` of the description may do, as IAM statements: its tables (read,
 * read/write or append-only, with their indexes), the image bucket's two prefixes (read, or read,
 * write and delete; listing the bucket so a missing key is a 404), publishing to its topics, the
 * services it names (Rekognition and Textract on image bytes, which have no resource; Face
 * Liveness sessions and assuming the browser's liveness role; SES from the sender's domain) and
 * the API fields it calls with IAM auth.
 *
 * CDK turns these into the function role's policy (cdk/constructs/functions.ts); the local runtime
 * checks every call a function makes against them (local/stack/permissions.ts). What only a
 * deployment grants (log groups, X-Ray, the token keys in KMS, a topic's encryption key, the
 * liveness role's trust) is granted there.
 */
export function grantsOf(api: ApiDefinition, name: string, targets: GrantTargets): GrantStatement[] {
  const fn: FunctionDefinition | undefined = api.functions[name];
  if (!fn) throw new Error(`the API description has no function "${name}"`);
  const statements: GrantStatement[] = [];

  for (const { table, access } of fn.tables ?? []) {
    if (!api.tables[table]) throw new Error(`${name} names table "${table}", which the description does not have`);
    const arn = targets.tableArn(table);
    const resources = api.tables[table].globalIndexes?.length ? [arn, `${arn}/index/*`] : [arn];
    if (access === 'append') statements.push({ actions: TABLE_APPEND_ACTIONS, resources: [arn] });
    else statements.push({ actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS], resources });
  }

  if (fn.images) {
    const { uploadsPrefix, facesPrefix } = api.images;
    const objects = [uploadsPrefix, facesPrefix].map((prefix) => `${targets.imagesBucketArn}/${prefix}*`);
    const actions = fn.images === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
    statements.push({ actions, resources: objects });
    statements.push({ actions: ['s3:ListBucket'], resources: [targets.imagesBucketArn] });
  }

  for (const topic of fn.publishes ?? []) {
    if (!api.topics[topic]) throw new Error(`${name} publishes to topic "${topic}", which the description does not have`);
    statements.push({ actions: ['sns:Publish'], resources: [targets.topicArn(topic)] });
  }

  for (const service of fn.services ?? []) {
    if (service === 'email') statements.push({ actions: ['ses:SendEmail'], resources: targets.mailIdentityArns });
    else if (service === 'liveness') statements.push(...livenessGrants(name, fn, targets));
    else if (service !== 'signTokens') statements.push({ actions: SERVICE_ACTIONS[service], resources: ['*'] });
  }

  for (const field of fn.callsApi ?? []) {
    const [typeName, fieldName, ...rest] = field.split('.');
    if (!typeName || !fieldName || rest.length) throw new Error(`${name} calls "${field}"; expected Type.field`);
    statements.push({ actions: ['appsync:GraphQL'], resources: [`${targets.graphqlApiArn}/types/${typeName}/fields/${fieldName}`] });
  }
  return statements;
}

/**
 * A function that runs Face Liveness checks creates the sessions and reads their results, and
 * assumes the browser's role (with a session policy) to vend the browser its credentials for one
 * check. Rekognition writes a check's reference and audit images to the image bucket with the
 * caller's own s3:PutObject, which the function's read/write image grant is.
 */
function livenessGrants(name: string, fn: FunctionDefinition, targets: GrantTargets): GrantStatement[] {
  if (fn.images !== 'readWrite') throw new Error(`${name} runs liveness checks, whose images Rekognition writes with its s3:PutObject: it needs images: 'readWrite'`);
  return [
    { actions: LIVENESS_SESSION_ACTIONS, resources: ['*'] },
    { actions: ['sts:AssumeRole'], resources: [targets.livenessRoleArn] },
  ];
}
