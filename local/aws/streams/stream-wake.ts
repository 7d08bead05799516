import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface WriteInput {
  TableName?: string;
  RequestItems?: Record<string, unknown>;
  TransactItems?: { Put?: { TableName?: string }; Update?: { TableName?: string }; Delete?: { TableName?: string } }[];
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** The tables a write command changes. */
export function tablesWritten(commandName: string, input: WriteInput): string[] {
  if (!WRITES.has(commandName)) return [];
  if (input.TableName) return [input.TableName];
  if (input.RequestItems) return Object.keys(input.RequestItems);
  return [...new Set((input.TransactItems ?? []).flatMap((item) => [item.Put?.TableName, item.Update?.TableName, item.Delete?.TableName].filter((t): t is string => Boolean(t))))];
}

/**
 * Calls `onWrite(table)` after each successful write `client` sends: the stream of that table
 * has a new record to read. A middleware on the client, so nothing that writes has to know.
 */
export function wakeOnWrites(client: DynamoDBClient, onWrite: (table: string) => void): void {
  client.middlewareStack.remove('wakeStreamPollersOnWrite');
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      for (const table of tablesWritten(context.commandName ?? '', args.input as WriteInput)) onWrite(table);
      return result;
    },
    { step: 'initialize', name: 'wakeStreamPollersOnWrite' },
  );
}
