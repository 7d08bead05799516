import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sampleTables } from '../fixtures/tables.ts';
import { startDynamoDBLocal, type DynamoDBLocalHandle } from '../../local/aws/dynamodb/dynamodb-local.ts';
import { createTables } from '../../local/aws/dynamodb/tables.ts';

// Its own DynamoDB Local: on the run's shared one, busy with every other suite's tables and
// streams, DynamoDB Local was seen never to finish backfilling an index added by UpdateTable.
let dynamodbLocal: DynamoDBLocalHandle;
let client: DynamoDBClient;

const physical = (logical: string) => `tables-${logical}`;
const tables = sampleTables;

beforeAll(async () => {
  dynamodbLocal = await startDynamoDBLocal({});
  client = new DynamoDBClient({ endpoint: dynamodbLocal.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createTables(client, tables, physical);
});
afterAll(async () => {
  client?.destroy();
  await dynamodbLocal?.stop();
});

it('createTables is idempotent and adds a GSI declared after the table was created', async () => {
  await createTables(client, tables, physical);
  const later = { ...tables, Counters: { ...tables.Counters!, globalIndexes: [{ name: 'byKind', partitionKey: { name: 'kind', type: 'S' as const } }] } };
  await createTables(client, later, physical);
  const counter = await client.send(new DescribeTableCommand({ TableName: physical('Counters') }));
  expect(counter.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byKind']);
  const item = await client.send(new DescribeTableCommand({ TableName: physical('Items') }));
  expect(item.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  expect(item.Table?.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: physical('Items') }));
  expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
});
