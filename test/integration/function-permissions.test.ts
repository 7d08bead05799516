import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateFaceLivenessSessionCommand, DetectFacesCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AnalyzeIDCommand, TextractClient } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { physicalTopicName } from '../../api/naming.ts';
import type { ApiDefinition } from '../../api/types.ts';
import { localLivenessRoleArn } from '../../local/stack/index.ts';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { signedHeaders } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient } from '../helpers/verification.ts';

// Each function runs with its own role's credentials and may do what api/grants.ts grants it,
// the statements CDK deploys; anything else is refused as AWS refuses it.
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(() => stack?.stop());

/** AWS's words for an implicit deny of `action` on `resource` to function `fn`'s role. */
function denial(fn: string, action: string, resource?: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const role = `${api.name}-${stack.config.stage}-${fn}`;
  const on = resource === undefined ? '' : ` on resource: ${escape(resource)}`;
  return new RegExp(`^User: arn:aws:sts::000000000000:assumed-role/${role}/${role} is not authorized to perform: ${escape(action)}${on} because no identity-based policy allows the ${escape(action)} action$`);
}

/** A client of `Client` signed as function `fn`, pointed where that function's SDK points. */
function as<T>(Client: new (config: object) => T, fn: string, endpoint: string, extra: object = {}): T {
  return new Client({ region: stack.config.region, endpoint, credentials: stack.functionAccess.credentialsOf(fn), maxAttempts: 1, ...extra });
}

/** A POST to a local stand-in of `service`, SigV4-signed with `credentials` as the SDK signs it (`tamper` changes the body after signing). */
async function signedPost(endpoint: string, service: string, credentials: { accessKeyId: string; secretAccessKey: string }, headers: Record<string, string>, body: string, tamper = (b: string) => b): Promise<Response> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service, region: stack.config.region, credentials, sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { ...headers, host: url.host }, body });
  return fetch(endpoint, { method: 'POST', headers: signed.headers as Record<string, string>, body: tamper(body) });
}

const tableArn = (table: string) => `arn:aws:dynamodb:${stack.config.region}:000000000000:table/${stack.tableName(table)}`;
const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail('the call was allowed'), (error: Error & { $metadata?: { httpStatusCode?: number } }) => error);

describe('DynamoDB, through the check in front of DynamoDB Local', () => {
  it('refuses a table the function was not granted, with AccessDeniedException in AWS words', async () => {
    const dynamodb = as(DynamoDBClient, 'taskStream', stack.functionAccess.endpoints.DYNAMODB);
    const error = await refusal(dynamodb.send(new PutItemCommand({ TableName: stack.tableName('Users'), Item: { id: { S: 'intruder' } } })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(denial('taskStream', 'dynamodb:PutItem', tableArn('Users')));
    // Its own table: allowed.
    await expect(dynamodb.send(new GetItemCommand({ TableName: stack.tableName('TaskEvents'), Key: { board: { S: 'b' }, sequence: { N: '1' } } }))).resolves.toBeDefined();
    const untouched = await stack.dynamodb.send(new GetItemCommand({ TableName: stack.tableName('Users'), Key: { id: { S: 'intruder' } } }));
    expect(untouched.Item).toBeUndefined();
  });

  it('refuses a body it cannot read rather than pass it on unchecked', async () => {
    const send = (operation: string, body: string) =>
      signedPost(stack.functionAccess.endpoints.DYNAMODB, 'dynamodb', stack.functionAccess.credentialsOf('taskStream'), { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` }, body);
    for (const [operation, body, type] of [
      ['PutItem', '{"TableName": "Users", ', 'SerializationException'],
      ['PutItem', 'null', 'SerializationException'],
      ['TransactWriteItems', '{"TransactItems": {"Put": {"TableName": "Users"}}}', 'ValidationException'],
    ]) {
      const answer = await send(operation, body);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { __type: string }).__type).toBe(`com.amazon.coral.service#${type}`);
    }
  });

  it('verifies the signature, not just the key id it names: a wrong secret, a changed body or an unknown key gets nowhere', async () => {
    const { accessKeyId } = stack.functionAccess.credentialsOf('taskStream');
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' };
    const own = stack.tableName('TaskEvents');
    const put = (id: string) => JSON.stringify({ TableName: own, Item: { board: { S: 'forged' }, sequence: { N: id } } });
    const attempts: [string, Promise<Response>, string][] = [
      // Someone who read the function's key id in a log, but not its secret.
      ['a guessed secret', signedPost(stack.functionAccess.endpoints.DYNAMODB, 'dynamodb', { accessKeyId, secretAccessKey: 'guessed' }, headers, put('1')), 'InvalidSignatureException'],
      // A signed request whose body was changed on the way (the signature covers its hash).
      ['a changed body', signedPost(stack.functionAccess.endpoints.DYNAMODB, 'dynamodb', stack.functionAccess.credentialsOf('taskStream'), headers, put('2'), () => put('3')), 'InvalidSignatureException'],
      ['a key nobody issued', signedPost(stack.functionAccess.endpoints.DYNAMODB, 'dynamodb', { accessKeyId: 'ASIAFORGED0000000000', secretAccessKey: 'x' }, headers, put('4')), 'UnrecognizedClientException'],
    ];
    for (const [what, attempt, type] of attempts) {
      const answer = await attempt;
      expect(answer.status, what).toBe(400);
      expect(((await answer.json()) as { __type: string }).__type, what).toBe(`com.amazon.coral.service#${type}`);
    }
    for (const sequence of ['1', '2', '3', '4']) {
      expect((await stack.dynamodb.send(new GetItemCommand({ TableName: own, Key: { board: { S: 'forged' }, sequence: { N: sequence } } }))).Item, `item ${sequence}`).toBeUndefined();
    }
    // Signed as the SDK signs, the same put goes through.
    const genuine = await signedPost(stack.functionAccess.endpoints.DYNAMODB, 'dynamodb', stack.functionAccess.credentialsOf('taskStream'), headers, put('5'));
    expect(genuine.status).toBe(200);
  });

  it('holds the audit log append-only: an entry is added, never rewritten or deleted', async () => {
    const dynamodb = as(DynamoDBClient, 'verification', stack.functionAccess.endpoints.DYNAMODB);
    const TableName = stack.tableName('AuditLog');
    const Key = { id: { S: 'audit-entry-1' } };
    await dynamodb.send(new PutItemCommand({ TableName, Item: { ...Key, scope: { S: 'all' }, at: { S: '2026-01-01T00:00:00Z' }, action: { S: 'SIGN_IN' } }, ConditionExpression: 'attribute_not_exists(id)' }));

    const rewrite = await refusal(dynamodb.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET #a = :a', ExpressionAttributeNames: { '#a': 'action' }, ExpressionAttributeValues: { ':a': { S: 'NOTHING' } } })));
    expect(rewrite.name).toBe('AccessDeniedException');
    expect(rewrite.message).toMatch(denial('verification', 'dynamodb:UpdateItem', tableArn('AuditLog')));
    const erase = await refusal(dynamodb.send(new DeleteItemCommand({ TableName, Key })));
    expect(erase.message).toMatch(denial('verification', 'dynamodb:DeleteItem', tableArn('AuditLog')));
    // Inside a transaction, each item's action is checked as DynamoDB checks it.
    const hidden = await refusal(
      dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName, Key } }, { Put: { TableName: stack.tableName('RateLimits'), Item: { id: { S: 'x' } } } }] })),
    );
    expect(hidden.message).toMatch(denial('verification', 'dynamodb:DeleteItem', tableArn('AuditLog')));
    // Reading it back is not granted either: the function only ever appends.
    expect((await refusal(dynamodb.send(new GetItemCommand({ TableName, Key })))).name).toBe('AccessDeniedException');

    const kept = await stack.dynamodb.send(new GetItemCommand({ TableName, Key }));
    expect(kept.Item?.action).toEqual({ S: 'SIGN_IN' });
  });
});

describe('the other services', () => {
  it('S3: only the granted prefixes, only the granted actions', async () => {
    const asVerification = as(S3Client, 'verification', stack.functionAccess.endpoints.S3, { forcePathStyle: true });
    await asVerification.send(new PutObjectCommand({ Bucket: stack.imagesBucket, Key: 'uploads/permissions/a.txt', Body: 'a' }));
    const outside = await refusal(asVerification.send(new PutObjectCommand({ Bucket: stack.imagesBucket, Key: 'elsewhere/a.txt', Body: 'a' })));
    expect(outside.name).toBe('AccessDenied');
    expect(outside.$metadata?.httpStatusCode).toBe(403);
    expect(outside.message).toMatch(denial('verification', 's3:PutObject', `arn:aws:s3:::${stack.imagesBucket}/elsewhere/a.txt`));

    // A copy reads its source: s3:GetObject there too, not only s3:PutObject on the target.
    await asVerification.send(new CopyObjectCommand({ Bucket: stack.imagesBucket, Key: 'uploads/permissions/copy.txt', CopySource: `${stack.imagesBucket}/uploads/permissions/a.txt` }));
    const copied = await refusal(asVerification.send(new CopyObjectCommand({ Bucket: stack.imagesBucket, Key: 'uploads/permissions/b.txt', CopySource: `${stack.imagesBucket}/elsewhere/a.txt` })));
    expect(copied.name).toBe('AccessDenied');
    expect(copied.message).toMatch(denial('verification', 's3:GetObject', `arn:aws:s3:::${stack.imagesBucket}/elsewhere/a.txt`));

    const asNotifier = as(S3Client, 'notifier', stack.functionAccess.endpoints.S3, { forcePathStyle: true });
    const read = await refusal(asNotifier.send(new GetObjectCommand({ Bucket: stack.imagesBucket, Key: 'uploads/permissions/a.txt' })));
    expect(read.message).toMatch(denial('notifier', 's3:GetObject', `arn:aws:s3:::${stack.imagesBucket}/uploads/permissions/a.txt`));
  });

  it('SNS: only the topics a function publishes to', async () => {
    const topicArn = `arn:aws:sns:${stack.config.region}:000000000000:${physicalTopicName(api, stack.config.stage, 'TaskEvents')}`;
    const sns = as(SNSClient, 'notifier', stack.functionAccess.endpoints.SNS);
    const error = await refusal(sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{}' })));
    expect(error.name).toBe('AuthorizationErrorException');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toMatch(denial('notifier', 'SNS:Publish', topicArn));

    // The topic's own publisher, with a secret it does not have or a message changed after signing.
    const publish = (message: string) => `Action=Publish&Version=2010-03-31&TopicArn=${encodeURIComponent(topicArn)}&Message=${encodeURIComponent(message)}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const { accessKeyId } = stack.functionAccess.credentialsOf('taskStream');
    const forged = await signedPost(stack.functionAccess.endpoints.SNS, 'sns', { accessKeyId, secretAccessKey: 'guessed' }, form, publish('{}'));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const changed = await signedPost(stack.functionAccess.endpoints.SNS, 'sns', stack.functionAccess.credentialsOf('taskStream'), form, publish('{"a":1}'), () => publish('{"a":2}'));
    expect(changed.status).toBe(403);
    expect(await changed.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('SES, Rekognition and Textract: only the functions that name them', async () => {
    const ses = as(SESv2Client, 'taskStream', stack.functionAccess.endpoints.SESV2);
    const mail = await refusal(
      ses.send(new SendEmailCommand({ FromEmailAddress: stack.config.mailFrom, Destination: { ToAddresses: ['a@example.com'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } })),
    );
    expect(mail.name).toBe('AccessDeniedException');
    const domain = /@([^>]+)>?$/.exec(stack.config.mailFrom)![1];
    expect(mail.message).toMatch(denial('taskStream', 'ses:SendEmail', `arn:aws:ses:${stack.config.region}:000000000000:identity/${domain}`));

    const image = { Bytes: new Uint8Array([0xff, 0xd8, 0xff]) };
    const faces = await refusal(as(RekognitionClient, 'notifier', stack.functionAccess.endpoints.REKOGNITION).send(new DetectFacesCommand({ Image: image })));
    expect(faces.name).toBe('AccessDeniedException');
    expect(faces.message).toMatch(denial('notifier', 'rekognition:DetectFaces'));
    const documents = await refusal(as(TextractClient, 'notifier', stack.functionAccess.endpoints.TEXTRACT).send(new AnalyzeIDCommand({ DocumentPages: [image] })));
    expect(documents.message).toMatch(denial('notifier', 'textract:AnalyzeID'));
  });

  it('STS and Face Liveness: only the function that runs liveness checks assumes the browser role and makes sessions', async () => {
    const roleArn = localLivenessRoleArn(api, stack.config);
    const assume = (fn: string) => as(STSClient, fn, stack.functionAccess.endpoints.STS).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'permissions-test', DurationSeconds: 900 }));
    const denied = await refusal(assume('notifier'));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toContain(`User: arn:aws:sts::000000000000:assumed-role/${api.name}-${stack.config.stage}-notifier/`);
    expect(denied.message).toContain('sts:AssumeRole');
    // Signed as the verification function (its role's keys, not the local user's): granted.
    const vended = await assume('verification');
    expect(vended.Credentials?.AccessKeyId).toMatch(/^ASIA/);

    const sessions = (fn: string) => as(RekognitionClient, fn, stack.functionAccess.endpoints.REKOGNITION).send(new CreateFaceLivenessSessionCommand({}));
    const notCreated = await refusal(sessions('notifier'));
    expect(notCreated.name).toBe('AccessDeniedException');
    expect(notCreated.message).toMatch(denial('notifier', 'rekognition:CreateFaceLivenessSession'));
    expect((await sessions('verification')).SessionId).toBeTruthy();
  });

  it('the API: an IAM caller may call the fields its role names, no other', async () => {
    const credentials = { ...stack.functionAccess.credentialsOf('notifier'), accountId: '000000000000', userArn: '', username: '' };
    const body = JSON.stringify({
      query: 'mutation ($e: TaskEventInput!) { publishTaskEvent(event: $e) { sequence } }',
      variables: { e: { boardId: 'main', sequence: 1, type: 'TASK_CREATED', taskId: 't', changes: [], at: '2026-01-01T00:00:00Z' } },
    });
    const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: await signedHeaders(stack.graphqlUrl, body, credentials), body });
    const answer = (await response.json()) as { data: unknown; errors: { errorType: string; message: string }[] };
    expect(answer.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access publishTaskEvent on type Mutation' });
    expect(answer.data).toEqual({ publishTaskEvent: null });
  });
});

describe('a function whose description lacks a grant', () => {
  it('fails locally, as it would in AWS, until the description grants it', async () => {
    // The verification function, with its sessions table read-only: opening a session is a PutItem.
    const tables = api.functions.verification.tables!.map((t) => (t.table === 'VerificationSessions' ? { ...t, access: 'read' as const } : t));
    const narrowed: ApiDefinition = { ...api, functions: { ...api.functions, verification: { ...api.functions.verification, tables } } };
    const narrow = await startTestStack({ api: narrowed });
    try {
      const refused = await onboardingClient(narrow).startFaceLogin('grants@example.com');
      expect(refused.data?.startFaceLogin ?? null).toBeNull();
      expect(refused.errors?.[0]?.errorType).toBe('InternalFailure');
      // The same request where the description grants the write.
      const granted = await onboardingClient(stack).startFaceLogin('grants@example.com');
      expect(granted.errors).toBeUndefined();
      expect(granted.data?.startFaceLogin.state).toBeTruthy();
    } finally {
      await narrow.stop();
    }
  }, 120_000);
});
