import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

/** A key attribute: its name and DynamoDB scalar type. */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

/** A global secondary index; it projects every attribute. */
export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

/** A table as {@link createTables} makes it: on-demand, with these keys, indexes, stream and TTL. */
export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes?: IndexDefinition[];
  stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
  /** Attribute holding an epoch-seconds expiry that TTL deletes by. */
  timeToLiveAttribute?: string;
}

/**
 * Creates every table of the API description that does not exist yet, and brings existing ones
 * up to date where DynamoDB allows it without data loss: missing GSIs are added, Streams and TTL
 * are switched on. A changed primary key cannot be migrated in place, so it is a clear error.
 * Running it twice is harmless, which lets `start` call it on every boot of a persistent dataDir.
 */
export async function createTables(
  client: DynamoDBClient,
  tables: Record<string, TableDefinition>,
  physicalName: (logical: string) => string,
): Promise<void> {
  // Existing tables are brought up to date before new ones are made: DynamoDB Local (2026-01-16)
  // left an added index CREATING for good when a table with TTL had just been created before it
  // (the boards migration's pre-boards folder, which gains LivenessReferences and Tasks' byColumn).
  const found = new Map<string, TableDescription | undefined>();
  for (const logical of Object.keys(tables)) found.set(logical, await describe(client, physicalName(logical)));
  const order = Object.entries(tables).sort(([a], [b]) => Number(found.get(a) === undefined) - Number(found.get(b) === undefined));
  for (const [logical, definition] of order) {
    const name = physicalName(logical);
    let existing = found.get(logical);
    if (!existing) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(name, definition),
          KeySchema: keySchema(definition.partitionKey, definition.sortKey),
          GlobalSecondaryIndexes: definition.globalIndexes?.length
            ? definition.globalIndexes.map(globalIndex)
            : undefined,
          StreamSpecification: definition.stream
            ? { StreamEnabled: true, StreamViewType: definition.stream }
            : undefined,
        }),
      );
      existing = await waitUntilActive(client, name);
    } else {
      assertSameKey(name, existing, definition);
      existing = await addMissingIndexes(client, name, existing, definition);
      if (definition.stream && !existing.StreamSpecification?.StreamEnabled) {
        await client.send(
          new UpdateTableCommand({
            TableName: name,
            StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
          }),
        );
        existing = await waitUntilActive(client, name);
      }
    }
    if (definition.timeToLiveAttribute) await enableTtl(client, name, definition.timeToLiveAttribute);
  }
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Backfilling an index can take minutes (on AWS, and on DynamoDB Local when the machine is busy). */
const ACTIVE_WITHIN_MS = 5 * 60_000;

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<TableDescription> {
  const deadline = Date.now() + ACTIVE_WITHIN_MS;
  for (;;) {
    const table = await describe(client, name);
    const indexesReady = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesReady) return table;
    if (Date.now() > deadline) throw new Error(`Table ${name} did not become ACTIVE within ${ACTIVE_WITHIN_MS / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
}

function globalIndex(index: IndexDefinition): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' },
  };
}

/** DynamoDB wants each key attribute declared exactly once, with one type, across table and GSIs. */
function attributeDefinitions(table: string, definition: TableDefinition): AttributeDefinition[] {
  const types = new Map<string, KeyAttribute['type']>();
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...(definition.globalIndexes ?? []).flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  for (const key of keys) {
    if (!key) continue;
    const known = types.get(key.name);
    if (known && known !== key.type) {
      throw new Error(`Table ${table}: attribute ${key.name} is declared both as ${known} and ${key.type}`);
    }
    types.set(key.name, key.type);
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function assertSameKey(name: string, existing: TableDescription, definition: TableDefinition): void {
  const want = keySchema(definition.partitionKey, definition.sortKey);
  const have = existing.KeySchema ?? [];
  const same =
    want.length === have.length &&
    want.every((k) => have.some((h) => h.AttributeName === k.AttributeName && h.KeyType === k.KeyType));
  if (!same) {
    throw new Error(
      `Table ${name} exists with key ${JSON.stringify(have)} but the API description declares ${JSON.stringify(want)}. ` +
        'A primary key cannot be changed in place: delete the table (or the local data folder) and start again.',
    );
  }
}

async function addMissingIndexes(
  client: DynamoDBClient,
  name: string,
  existing: TableDescription,
  definition: TableDefinition,
): Promise<TableDescription> {
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  let table = existing;
  // DynamoDB accepts one GSI creation per UpdateTable call.
  for (const index of definition.globalIndexes ?? []) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(name, definition),
        GlobalSecondaryIndexUpdates: [{ Create: globalIndex(index) }],
      }),
    );
    table = await waitUntilActive(client, name);
  }
  return table;
}

async function enableTtl(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  const status = current?.TimeToLiveStatus;
  if ((status === 'ENABLED' || status === 'ENABLING') && current?.AttributeName === attribute) return;
  if (status === 'ENABLED' || status === 'ENABLING') {
    throw new Error(
      `Table ${name} has TTL on ${current?.AttributeName} but the API description declares ${attribute}; ` +
        'DynamoDB must disable TTL before switching attributes.',
    );
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { Enabled: true, AttributeName: attribute },
    }),
  );
}
