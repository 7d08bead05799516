import { describe, expect, it } from 'vitest';
import { api } from '../../api/definition.ts';
import { grantsOf, type GrantTargets } from '../../api/grants.ts';
import { accessRequests } from '../../local/aws/dynamodb/access-check.ts';
import { Principals } from '../../local/aws/iam/index.ts';

const targets: GrantTargets = {
  tableArn: (table) => `arn:aws:dynamodb:us-east-1:000000000000:table/t-${table}`,
  topicArn: (topic) => `arn:aws:sns:us-east-1:000000000000:t-${topic}`,
  imagesBucketArn: 'arn:aws:s3:::images',
  graphqlApiArn: 'arn:aws:appsync:us-east-1:000000000000:apis/local',
  mailIdentityArns: ['arn:aws:ses:us-east-1:000000000000:identity/example.com', 'arn:aws:ses:us-east-1:000000000000:identity/*@example.com'],
  livenessRoleArn: 'arn:aws:iam::000000000000:role/liveness-browser',
};

function roleOf(name: string) {
  const principals = new Principals();
  const role = principals.addRole(`arn:aws:sts::000000000000:assumed-role/${name}/${name}`, grantsOf(api, name, targets));
  return (action: string, resource: string) => principals.authorize(role.credentials.accessKeyId, { action, resource });
}

describe('grantsOf, evaluated as IAM evaluates identity policies', () => {
  it('gives each table its access: read, read/write, or append (PutItem alone)', () => {
    const verification = roleOf('verification');
    expect(verification('dynamodb:PutItem', targets.tableArn('AuditLog')).allowed).toBe(true);
    expect(verification('dynamodb:UpdateItem', targets.tableArn('AuditLog')).allowed).toBe(false);
    expect(verification('dynamodb:GetItem', targets.tableArn('AuditLog')).allowed).toBe(false);
    expect(verification('dynamodb:UpdateItem', targets.tableArn('RateLimits')).allowed).toBe(true);
    expect(verification('dynamodb:Query', `${targets.tableArn('Users')}/index/byEmail`).allowed).toBe(true);
    const authorizer = roleOf('authorizer');
    expect(authorizer('dynamodb:GetItem', targets.tableArn('Users')).allowed).toBe(true);
    expect(authorizer('dynamodb:PutItem', targets.tableArn('Users')).allowed).toBe(false);
    expect(authorizer('dynamodb:GetItem', targets.tableArn('Tasks')).allowed).toBe(false);
  });

  it('names the image prefixes, the topics, the services and the API fields', () => {
    const verification = roleOf('verification');
    expect(verification('s3:PutObject', 'arn:aws:s3:::images/uploads/s1/selfie').allowed).toBe(true);
    expect(verification('s3:PutObject', 'arn:aws:s3:::images/other/x').allowed).toBe(false);
    expect(verification('rekognition:CompareFaces', '*').allowed).toBe(true);
    expect(verification('ses:SendEmail', 'arn:aws:ses:us-east-1:000000000000:identity/example.com').allowed).toBe(true);
    expect(verification('ses:SendEmail', 'arn:aws:ses:us-east-1:000000000000:identity/evil.com').allowed).toBe(false);
    const publisher = roleOf('taskEventPublisher');
    expect(publisher('appsync:GraphQL', `${targets.graphqlApiArn}/types/Mutation/fields/publishTaskEvent`).allowed).toBe(true);
    expect(publisher('appsync:GraphQL', `${targets.graphqlApiArn}/types/Mutation/fields/publishNotification`).allowed).toBe(false);
    expect(roleOf('taskStream')('SNS:Publish', targets.topicArn('TaskEvents')).allowed).toBe(true);
    expect(roleOf('notifier')('SNS:Publish', targets.topicArn('TaskEvents')).allowed).toBe(false);
  });

  it('lets the liveness functions run the session calls and assume the browser role, that role only', () => {
    const verification = roleOf('verification');
    expect(verification('rekognition:CreateFaceLivenessSession', '*').allowed).toBe(true);
    expect(verification('rekognition:GetFaceLivenessSessionResults', '*').allowed).toBe(true);
    expect(verification('sts:AssumeRole', targets.livenessRoleArn).allowed).toBe(true);
    expect(verification('sts:AssumeRole', 'arn:aws:iam::000000000000:role/admin').allowed).toBe(false);
    // The browser's own action is the browser role's, not the function's.
    expect(verification('rekognition:StartFaceLivenessSession', '*').allowed).toBe(false);
    for (const name of Object.keys(api.functions).filter((n) => !api.functions[n].services?.includes('liveness'))) {
      expect(roleOf(name)('sts:AssumeRole', targets.livenessRoleArn).allowed).toBe(false);
      expect(roleOf(name)('rekognition:CreateFaceLivenessSession', '*').allowed).toBe(false);
    }
  });

  it('words a refusal as AWS does, and does not know a stranger', () => {
    const denied = roleOf('authorizer')('dynamodb:DeleteItem', targets.tableArn('Users'));
    expect(denied).toEqual({
      allowed: false,
      code: 'AccessDenied',
      message:
        'User: arn:aws:sts::000000000000:assumed-role/authorizer/authorizer is not authorized to perform: dynamodb:DeleteItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/t-Users because no identity-based policy allows the dynamodb:DeleteItem action',
    });
    expect(new Principals().authorize('AKIANOBODY', { action: 'dynamodb:GetItem', resource: '*' })).toMatchObject({ allowed: false, code: 'UnrecognizedClient' });
  });
});

describe('what a DynamoDB request asks', () => {
  const arn = (table: string) => `arn:${table}`;
  it('one action per item of a transaction, per table of a batch, on the index of a query', () => {
    expect(accessRequests('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'A' } }, { Delete: { TableName: 'B' } }, { ConditionCheck: { TableName: 'C' } }, { Update: { TableName: 'D' } }] }, arn)).toEqual([
      { action: 'dynamodb:PutItem', resource: 'arn:A' },
      { action: 'dynamodb:DeleteItem', resource: 'arn:B' },
      { action: 'dynamodb:ConditionCheckItem', resource: 'arn:C' },
      { action: 'dynamodb:UpdateItem', resource: 'arn:D' },
    ]);
    expect(accessRequests('BatchWriteItem', { RequestItems: { A: [], B: [] } }, arn)).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: 'arn:A' },
      { action: 'dynamodb:BatchWriteItem', resource: 'arn:B' },
    ]);
    expect(accessRequests('Query', { TableName: 'A', IndexName: 'byX' }, arn)).toEqual([{ action: 'dynamodb:Query', resource: 'arn:A/index/byX' }]);
    expect(accessRequests('ListTables', {}, arn)).toEqual([{ action: 'dynamodb:ListTables', resource: '*' }]);
  });
});
