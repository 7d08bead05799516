import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;
const BATCH_SIZE = 25;
const MAX_RETRIES = 20;

/**
 * A task item as `Mutation.createTask` writes it (board `main`, version 1, empty labels), in
 * DynamoDB JSON. `createdAt` is passed in so seeded items can be made distinct.
 */
export function taskItem(fields: { id: string; title: string; userId: string; createdAt: string; index?: number }): Record<string, AttributeValue> {
  const i = fields.index ?? 0;
  return {
    id: { S: fields.id },
    board: { S: 'main' },
    title: { S: fields.title },
    status: { S: STATUSES[i % STATUSES.length] },
    priority: { S: PRIORITIES[Math.floor(i / STATUSES.length) % PRIORITIES.length] },
    labels: { L: [] },
    createdBy: { S: fields.userId },
    createdAt: { S: fields.createdAt },
    updatedBy: { S: fields.userId },
    updatedAt: { S: fields.createdAt },
    version: { N: '1' },
  };
}

/**
 * Writes `count` tasks with BatchWriteItem, 25 per batch and `inFlight` batches at a time,
 * retrying unprocessed items. Each `createdAt` is distinct (one millisecond apart, ending
 * now), so the board index orders them as created. Calls `progress(written)` as it goes.
 */
export async function seedTasks(options: {
  client: DynamoDBClient;
  tableName: string;
  userId: string;
  count: number;
  inFlight?: number;
  progress?: (written: number) => void;
}): Promise<void> {
  const { client, tableName, userId, count } = options;
  const base = Date.now() - count;
  let next = 0;
  let written = 0;

  const writeBatch = async (requests: WriteRequest[]): Promise<void> => {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > MAX_RETRIES) throw new Error(`seeding: ${pending.length} items still unprocessed after ${MAX_RETRIES} retries`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      const output = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = output.UnprocessedItems?.[tableName] ?? [];
    }
  };

  const worker = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      const to = Math.min(count, from + BATCH_SIZE);
      next = to;
      const requests: WriteRequest[] = [];
      for (let i = from; i < to; i++) {
        const title = `Seeded task ${String(i + 1).padStart(5, '0')}`;
        const createdAt = new Date(base + i).toISOString();
        requests.push({ PutRequest: { Item: taskItem({ id: randomUUID(), title, userId, createdAt, index: i }) } });
      }
      await writeBatch(requests);
      written += requests.length;
      options.progress?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight ?? 8 }, () => worker()));
}
