import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { physicalTableName, physicalTopicName, tableVariable } from '../../api/naming.ts';
import { projectRoot, synthStack, testConfig, type Synthesised } from './synth.ts';
import { actions, mentions, TemplateIndex } from './template.ts';

// One synth for the whole file (fast mode: no bundling, no CloudFormation validation).
let synth: Synthesised;
let index: TemplateIndex;
beforeAll(async () => {
  synth = await synthStack();
  index = new TemplateIndex(synth.template);
});

const fnName = (name: string) => `${api.name}-${testConfig.stage}-${name}`;
const authorizer = api.authModes[0].type === 'AWS_LAMBDA' ? api.authModes[0].function : 'authorizer';

describe('data', () => {
  it.each(Object.entries(api.tables))('%s: keys, indexes, stream, TTL, PITR, encryption as described', (name, table) => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: physicalTableName(api, testConfig.stage, name),
      KeySchema: [{ AttributeName: table.partitionKey.name, KeyType: 'HASH' }, ...(table.sortKey ? [{ AttributeName: table.sortKey.name, KeyType: 'RANGE' }] : [])],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: table.stream ? { StreamViewType: table.stream } : Match.absent(),
      TimeToLiveSpecification: table.timeToLiveAttribute ? { AttributeName: table.timeToLiveAttribute, Enabled: true } : Match.absent(),
      GlobalSecondaryIndexes: table.globalIndexes
        ? table.globalIndexes.map((i) => Match.objectLike({ IndexName: i.name, KeySchema: [{ AttributeName: i.partitionKey.name, KeyType: 'HASH' }, ...(i.sortKey ? [{ AttributeName: i.sortKey.name, KeyType: 'RANGE' }] : [])] }))
        : Match.absent(),
    });
  });

  it('makes exactly the described tables, and Tasks streams NEW_AND_OLD_IMAGES', () => {
    expect(index.ofType('AWS::DynamoDB::Table').map(([, t]) => t.Properties.TableName).sort()).toEqual(Object.keys(api.tables).map((t) => physicalTableName(api, testConfig.stage, t)).sort());
    expect(api.tables.Tasks.stream).toBe('NEW_AND_OLD_IMAGES');
  });
});

describe('storage and web buckets', () => {
  it('blocks all public access, encrypts and refuses plain HTTP on every bucket', () => {
    const buckets = index.ofType('AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      const policy = index.ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === id)![1];
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('expires verification uploads after one day and allows CORS from the web origin only', () => {
    const [, images] = index.ofType('AWS::S3::Bucket').find(([, b]) => JSON.stringify(b.Properties.BucketName ?? '').includes('-images-'))!;
    expect(images.Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' }));
    const cors = images.Properties.CorsConfiguration.CorsRules;
    expect(cors).toHaveLength(1);
    const [distributionId] = index.ofType('AWS::CloudFront::Distribution')[0];
    expect(cors[0].AllowedOrigins).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] }]);
    expect(cors[0].AllowedMethods.sort()).toEqual(['GET', 'HEAD', 'PUT']);
  });

  it('serves the site through CloudFront with origin access control, HTTPS and security headers, and deploys nothing without frontend/dist', () => {
    synth.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    synth.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: Match.anyValue() }),
      }),
    });
    synth.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ Override: true }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
        }),
      }),
    });
    synth.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    synth.template.hasOutput('WebUrl', { Description: Match.stringLikeRegexp('NOTHING DEPLOYED') });
  });
});

describe('tokens', () => {
  it('signs through the alias of an ES256 key ring: the functions that mint tokens (verification, dashboard tokens) may only Sign through the alias, the authorizer only GetPublicKey', () => {
    const [aliasId, alias] = index.ofType('AWS::KMS::Alias')[0];
    const keyId = alias.Properties.TargetKeyId['Fn::GetAtt'][0] as string;
    expect(index.resources[keyId].Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(alias.Properties.AliasName).toBe(`alias/${api.name}-${testConfig.stage}-tokens`);
    const signers = Object.entries(api.functions).filter(([, fn]) => fn.services?.includes('signTokens')).map(([name]) => name);
    expect(signers).toEqual(['verification', 'dashboardTokens']);
    const kmsActions = (fn: string) => index.statementsOf(fnName(fn)).filter((s) => actions(s).some((a) => a.startsWith('kms:') && a !== 'kms:GenerateDataKey*' && a !== 'kms:Decrypt'));
    for (const signer of signers) {
      expect(kmsActions(signer)).toEqual([expect.objectContaining({ Action: ['kms:DescribeKey', 'kms:Sign'], Condition: { StringEquals: { 'kms:RequestAlias': alias.Properties.AliasName } } })]);
    }
    expect(kmsActions(authorizer).map(actions)).toEqual([['kms:GetPublicKey']]);
    expect(JSON.stringify(kmsActions(authorizer)[0].Resource)).toContain(keyId);
    // Nobody else may use a token key; the authorizer never signs nor asks KMS to verify.
    const onTokenKeys = index.allStatements().filter((s) => actions(s).some((a) => ['kms:Sign', 'kms:Verify', 'kms:GetPublicKey'].includes(a)));
    expect(onTokenKeys.flatMap(actions).sort()).toEqual(['kms:DescribeKey', 'kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Sign']);
    for (const signer of signers) expect(index.lambda(fnName(signer))[1].Properties.Environment.Variables.TOKEN_KMS_KEY_ID).toBe(alias.Properties.AliasName);
    expect(index.lambda(fnName(authorizer))[1].Properties.Environment.Variables.TOKEN_KMS_KEY_ID).toEqual({ Ref: keyId });
    expect(aliasId).toBeTruthy();
  });
});

describe('liveness', () => {
  const vendors = Object.entries(api.functions).filter(([, fn]) => fn.services?.includes('liveness')).map(([name]) => name);
  const browserRole = () => {
    const found = index.ofType('AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.Policies ?? []).includes('StartFaceLivenessSession'));
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const roleOf = (fn: string) => index.lambda(fnName(fn))[1].Properties.Role['Fn::GetAtt'][0] as string;

  it('gives the browser a role that may start a Face Liveness stream and nothing else, with no managed policies', () => {
    expect(vendors).toEqual(['verification']);
    const [, role] = browserRole();
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toEqual([
      { PolicyName: 'liveness', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: api.liveness!.browserActions.length === 1 ? api.liveness!.browserActions[0] : api.liveness!.browserActions, Resource: '*' }] } },
    ]);
    // No other policy in the stack attaches to it.
    const [roleId] = browserRole();
    expect(index.ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))).toEqual([]);
  });

  it("is assumed by the verification function's role alone: its trust names that role, and no other function may call sts:AssumeRole", () => {
    const [roleId, role] = browserRole();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': [roleOf('verification'), 'Arn'] } } },
    ]);
    const assumers = Object.keys(api.functions).filter((name) => index.statementsOf(fnName(name)).some((s) => actions(s).includes('sts:AssumeRole')));
    expect(assumers).toEqual(vendors);
    const assume = index.statementsOf(fnName('verification')).filter((s) => actions(s).includes('sts:AssumeRole'));
    expect(assume).toEqual([expect.objectContaining({ Action: 'sts:AssumeRole', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] } })]);
  });

  it('lets the verification function create sessions, read results, and have Rekognition write under uploads/ only', () => {
    const statements = index.statementsOf(fnName('verification'));
    // The Face Liveness calls have no resource-level permissions (CDK merges them with the other calls without one, on '*').
    const liveness = statements.filter((s) => actions(s).includes('rekognition:CreateFaceLivenessSession'));
    expect(liveness).toEqual([expect.objectContaining({ Resource: '*' })]);
    expect(actions(liveness[0]!)).toEqual(expect.arrayContaining(['rekognition:CreateFaceLivenessSession', 'rekognition:GetFaceLivenessSessionResults']));
    // What shares that '*' is only calls on image bytes, the two session calls and X-Ray's (none has a resource), never more.
    const withoutResource = ['rekognition:DetectFaces', 'rekognition:CompareFaces', 'textract:AnalyzeID', 'rekognition:CreateFaceLivenessSession', 'rekognition:GetFaceLivenessSessionResults', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
    expect(actions(liveness[0]!).filter((a) => !withoutResource.includes(a))).toEqual([]);
    const [bucketId] = index.ofType('AWS::S3::Bucket').find(([, b]) => JSON.stringify(b.Properties.BucketName ?? '').includes('-images-'))!;
    const puts = statements.filter((s) => mentions(s, bucketId) && actions(s).includes('s3:PutObject'));
    for (const put of puts) expect(JSON.stringify(put.Resource)).toMatch(/\/(uploads|faces)\/\*"/);
    expect(puts.some((put) => JSON.stringify(put.Resource).includes('/uploads/*'))).toBe(true);
  });

  it('tells the function which role to assume, and the web app nothing of it', () => {
    const [roleId] = browserRole();
    for (const name of vendors) expect(index.lambda(fnName(name))[1].Properties.Environment.Variables.LIVENESS_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });
});

describe('API', () => {
  it('defaults to the Lambda authorizer with the configured TTL and the described validation expression, plus API key and IAM', () => {
    const lambdaMode = api.authModes[0];
    if (lambdaMode.type !== 'AWS_LAMBDA') throw new Error('the description no longer starts with AWS_LAMBDA');
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AWS_LAMBDA',
      LambdaAuthorizerConfig: {
        AuthorizerUri: { 'Fn::GetAtt': [index.lambda(fnName(lambdaMode.function))[0], 'Arn'] },
        AuthorizerResultTtlInSeconds: testConfig.authorizerResultTtlSeconds,
        IdentityValidationExpression: lambdaMode.identityValidationExpression,
      },
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }, { AuthenticationType: 'AWS_IAM' }],
    });
    // No expiry in the template (it would change with the day of the synth); apiKeyRenewal keeps it.
    synth.template.hasResourceProperties('AWS::AppSync::ApiKey', { Expires: Match.absent() });
  });

  it('logs field errors without verbose content, and gives resolvers the table names as ctx.env', () => {
    const [, graphql] = index.ofType('AWS::AppSync::GraphQLApi')[0];
    expect(['ERROR', 'ALL']).toContain(graphql.Properties.LogConfig.FieldLogLevel);
    expect(graphql.Properties.LogConfig.ExcludeVerboseContent).toBe(true);
    expect(graphql.Properties.EnvironmentVariables).toMatchObject({ TASKS_TABLE: physicalTableName(api, testConfig.stage, 'Tasks') });
  });

  it('deploys schema.graphql as written, without the tool-only AppSync built-ins', () => {
    const [, schema] = index.ofType('AWS::AppSync::GraphQLSchema')[0];
    expect(schema.Properties.Definition).toBe(readFileSync(path.join(projectRoot, api.schema), 'utf8'));
  });
});

describe('functions', () => {
  it.each(Object.entries(api.functions))('%s: Node 22 on arm64, its own log group with retention, timeout and environment from the description', (name, fn) => {
    const [, lambda] = index.lambda(fnName(name));
    expect(lambda.Properties.Runtime).toBe('nodejs22.x');
    expect(lambda.Properties.Architectures).toEqual(['arm64']);
    expect(lambda.Properties.Timeout).toBe(fn.timeoutSeconds ?? 10);
    const logGroupId = lambda.Properties.LoggingConfig.LogGroup.Ref as string;
    expect(index.resources[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
    const env = lambda.Properties.Environment.Variables;
    // Only what the function uses (issue #21): its own tables and topics, nobody else's, and
    // ADMIN_EMAILS only where it is read.
    const tables = Object.keys(api.tables).filter((table) => env[tableVariable(table)] !== undefined);
    expect(tables.sort()).toEqual((fn.tables ?? []).map((t) => t.table).sort());
    for (const table of tables) expect(env[tableVariable(table)]).toBe(physicalTableName(api, testConfig.stage, table));
    if (fn.publishes?.includes('TaskEvents')) expect(env.TASK_EVENTS_TOPIC_ARN).toEqual({ Ref: index.ofType('AWS::SNS::Topic')[0][0] });
    else expect(env.TASK_EVENTS_TOPIC_ARN).toBeUndefined();
    expect(env.ADMIN_EMAILS !== undefined, `${name} gets ADMIN_EMAILS`).toBe(Boolean(fn.settings?.includes('adminEmails')));
    expect(env.TOKEN_ISSUER !== undefined, `${name} gets the token settings`).toBe(name === authorizer || Boolean(fn.services?.includes('signTokens')));
    // The authorizer cannot know the API's URL: the API refers to it (a cycle otherwise).
    if (name === authorizer || !fn.callsApi?.length) expect(env.GRAPHQL_URL).toBeUndefined();
    else expect(env.GRAPHQL_URL).toEqual({ 'Fn::GetAtt': [index.ofType('AWS::AppSync::GraphQLApi')[0][0], 'GraphQLUrl'] });
  });

  it.each(Object.entries(api.functions))('%s: tables, topics and API fields exactly as the description grants them', (name, fn) => {
    const statements = index.statementsOf(fnName(name));
    for (const tableName of Object.keys(api.tables)) {
      const id = index.tableId(physicalTableName(api, testConfig.stage, tableName));
      const granted = statements.filter((s) => mentions(s, id) && actions(s).some((a) => a === 'dynamodb:GetItem' || a === 'dynamodb:PutItem')).flatMap(actions);
      const access = fn.tables?.find((t) => t.table === tableName)?.access;
      expect(granted.includes('dynamodb:GetItem'), `${name} reads ${tableName}`).toBe(access === 'read' || access === 'readWrite');
      expect(granted.includes('dynamodb:PutItem'), `${name} writes ${tableName}`).toBe(access === 'readWrite' || access === 'append');
      // Append-only means PutItem and nothing else: no function can rewrite or delete the audit trail.
      if (access === 'append') expect(granted, `${name} only appends to ${tableName}`).toEqual(['dynamodb:PutItem']);
    }
    const publishes = statements.filter((s) => actions(s).includes('sns:Publish'));
    expect(publishes).toHaveLength(fn.publishes?.length ?? 0);
    const graphqlCalls = statements.filter((s) => actions(s).some((a) => a.startsWith('appsync:')));
    const fieldArns = graphqlCalls.map((s) => {
      expect(actions(s)).toEqual(['appsync:GraphQL']);
      const parts = (s.Resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      return parts.at(-1) as string;
    });
    expect(fieldArns).toEqual((fn.callsApi ?? []).map((field) => `/types/${field.replace('.', '/fields/')}`));
  });

  it.each(Object.entries(api.functions))('%s: the image bucket and AWS services exactly as described', (name, fn) => {
    const statements = index.statementsOf(fnName(name));
    const [bucketId] = index.ofType('AWS::S3::Bucket').find(([, b]) => JSON.stringify(b.Properties.BucketName ?? '').includes('-images-'))!;
    const onBucket = [...new Set(statements.filter((s) => mentions(s, bucketId)).flatMap(actions))];
    expect(onBucket.sort(), `${name} on the image bucket`).toEqual(
      fn.images === 'readWrite' ? ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'] : fn.images === 'read' ? ['s3:GetObject', 's3:ListBucket'] : [],
    );
    const all = statements.flatMap(actions);
    expect(all.filter((a) => a.startsWith('rekognition:')).sort()).toEqual(
      [
        ...(fn.services?.includes('faces') ? ['rekognition:CompareFaces', 'rekognition:DetectFaces'] : []),
        ...(fn.services?.includes('liveness') ? ['rekognition:CreateFaceLivenessSession', 'rekognition:GetFaceLivenessSessionResults'] : []),
      ].sort(),
    );
    expect(all.includes('sts:AssumeRole')).toBe(fn.services?.includes('liveness') ?? false);
    expect(all.filter((a) => a.startsWith('textract:'))).toEqual(fn.services?.includes('documents') ? ['textract:AnalyzeID'] : []);
    expect(all.includes('ses:SendEmail')).toBe(fn.services?.includes('email') ?? false);
    if (fn.images) expect(index.lambda(fnName(name))[1].Properties.Environment.Variables.IMAGES_BUCKET).toEqual({ Ref: bucketId });
  });

  it('sends email only from the configured sender domain', () => {
    const ses = index.statementsOf(fnName('verification')).filter((s) => actions(s).includes('ses:SendEmail'));
    expect(JSON.stringify(ses[0].Resource)).toContain(`identity/${/@([^>]+)>?$/.exec(testConfig.mailFrom)![1]}`);
  });

  it('limits the publisher to the one field publishTaskEvent', () => {
    const calls = index.statementsOf(fnName('taskEventPublisher')).filter((s) => actions(s).some((a) => a.startsWith('appsync:')));
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(calls[0].Resource)).toMatch(/\/types\/Mutation\/fields\/publishTaskEvent"\]\]\}$/);
  });
});

describe('real time', () => {
  const triggers = Object.entries(api.functions).flatMap(([name, fn]) => (fn.triggers ?? []).map((trigger) => ({ name, trigger })));

  it.each(triggers.filter((t) => t.trigger.kind === 'SCHEDULE'))('schedule -> $name: an EventBridge rate rule with retries and an SQS queue for failures', ({ name, trigger }) => {
    if (trigger.kind !== 'SCHEDULE') return;
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: Schedule.rate(Duration.minutes(trigger.everyMinutes)).expressionString,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [index.lambda(fnName(name))[0], 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it.each(triggers.filter((t) => t.trigger.kind === 'TABLE_STREAM'))('stream of $trigger.table -> $name: batch, window, retries, bisect, partial failures, SQS on failure', ({ name, trigger }) => {
    if (trigger.kind !== 'TABLE_STREAM') return;
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: index.lambda(fnName(name))[0] },
      EventSourceArn: { 'Fn::GetAtt': [index.tableId(physicalTableName(api, testConfig.stage, trigger.table)), 'StreamArn'] },
      BatchSize: trigger.batchSize,
      MaximumRetryAttempts: trigger.retryAttempts,
      BisectBatchOnFunctionError: trigger.bisectBatchOnError,
      MaximumBatchingWindowInSeconds: trigger.batchingWindowSeconds > 0 ? trigger.batchingWindowSeconds : Match.absent(),
      FunctionResponseTypes: trigger.reportBatchItemFailures ? ['ReportBatchItemFailures'] : Match.absent(),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('Failures'), 'Arn'] } } },
    });
  });

  const invokedAsynchronously = Object.entries(api.functions).filter(([, fn]) => fn.triggers?.some((t) => t.kind === 'TOPIC' || t.kind === 'SCHEDULE')).map(([name]) => name);
  it.each(invokedAsynchronously)('%s, invoked asynchronously (SNS, EventBridge): two retries, then an SQS on-failure destination, never dropped', (name) => {
    expect(invokedAsynchronously).toEqual(expect.arrayContaining(['taskEventPublisher', 'notifier', 'verificationSweeper', 'dueNotifier']));
    const configs = index.ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => c.Properties.FunctionName.Ref === index.lambda(fnName(name))[0]);
    expect(configs).toHaveLength(1);
    const [, config] = configs[0];
    expect(config.Properties.MaximumRetryAttempts).toBe(2);
    const queueId = config.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(index.resources[queueId].Type).toBe('AWS::SQS::Queue');
    // The function may send there (Lambda sends the invocation record with the function's role).
    expect(index.statementsOf(fnName(name)).some((s) => actions(s).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(queueId))).toBe(true);
  });

  it.each(triggers.filter((t) => t.trigger.kind === 'TOPIC'))('topic -> $name: Lambda subscription with an SQS dead-letter queue', ({ name, trigger }) => {
    if (trigger.kind !== 'TOPIC') return;
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [index.lambda(fnName(name))[0], 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Failures'), 'Arn'] } },
    });
  });

  it('encrypts every topic with a rotated KMS key and every failure queue at rest', () => {
    for (const topic of Object.keys(api.topics)) {
      synth.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: physicalTopicName(api, testConfig.stage, topic), KmsMasterKeyId: Match.anyValue() });
    }
    const [, topic] = index.ofType('AWS::SNS::Topic')[0];
    expect(index.resources[topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0]].Properties.EnableKeyRotation).toBe(true);
    for (const [, queue] of index.ofType('AWS::SQS::Queue')) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });
});

describe('a configured web origin', () => {
  it('is the only origin the image bucket allows', async () => {
    const { template } = await synthStack({ config: { webOrigin: 'https://tasks.example.com' } });
    const images = Object.values(template.findResources('AWS::S3::Bucket')).find((b) => b.Properties.CorsConfiguration)!;
    expect(images.Properties.CorsConfiguration.CorsRules.map((r: { AllowedOrigins: unknown }) => r.AllowedOrigins)).toEqual([['https://tasks.example.com']]);
  });
});

describe('outputs', () => {
  it('prints the GraphQL URL, the real-time URL, the API key id and the web URL', () => {
    for (const name of ['GraphQLUrl', 'RealtimeUrl', 'ApiKeyId', 'WebUrl']) synth.template.hasOutput(name, {});
  });
});
