import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../functions/shared/task-event.ts';
import { EventTooLargeError, packTaskEvents, readTaskEventMessage, SNS_MAX_BYTES } from '../../functions/shared/task-event-messages.ts';
import { tablesWritten } from '../../local/aws/streams/stream-wake.ts';

const event = (sequence: number, description = ''): TaskEvent => ({
  boardId: 'b-ops',
  sequence,
  type: 'TASK_UPDATED',
  taskId: `t${sequence % 7}`,
  task: { id: `t${sequence % 7}`, title: 'x', description, status: 'TODO', priority: 'LOW', labels: [], createdBy: 'u', createdAt: '', updatedBy: 'u', updatedAt: '', version: sequence },
  assigneeId: null,
  status: 'TODO',
  changes: [],
  actorId: 'u',
  at: '2026-01-01T00:00:00.000Z',
});

describe('task events packed into SNS messages', () => {
  it('keeps every event, in order, and stays within SNS limits per message and per PublishBatch', () => {
    const events = Array.from({ length: 300 }, (_, i) => event(i + 1, 'd'.repeat(i % 5 === 0 ? 20_000 : 200)));
    const calls = packTaskEvents(events);
    const messages = calls.flat();
    expect(messages.flatMap((m) => readTaskEventMessage(m.body).map((e) => e.sequence))).toEqual(events.map((e) => e.sequence));
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(10);
      expect(call.reduce((n, m) => n + Buffer.byteLength(m.body), 0)).toBeLessThanOrEqual(SNS_MAX_BYTES);
    }
    // Not one event a message: a batch travels in a handful.
    expect(messages.length).toBeLessThan(events.length / 10);
  });

  it('refuses an event that no message could hold, and reads a message of one bare event (sent before batching)', () => {
    expect(() => packTaskEvents([event(1, 'x'.repeat(SNS_MAX_BYTES))])).toThrow(EventTooLargeError);
    expect(readTaskEventMessage(JSON.stringify(event(5)))).toEqual([event(5)]);
  });
});

describe('which tables a write wakes', () => {
  it('names the tables of single, batch and transactional writes, and none for reads', () => {
    expect(tablesWritten('PutItemCommand', { TableName: 'Tasks' })).toEqual(['Tasks']);
    expect(tablesWritten('BatchWriteItemCommand', { RequestItems: { A: [], B: [] } })).toEqual(['A', 'B']);
    expect(tablesWritten('TransactWriteItemsCommand', { TransactItems: [{ Put: { TableName: 'Tasks' } }, { Update: { TableName: 'TaskHistory' } }, { Delete: { TableName: 'Tasks' } }] })).toEqual(['Tasks', 'TaskHistory']);
    expect(tablesWritten('GetItemCommand', { TableName: 'Tasks' })).toEqual([]);
  });
});
