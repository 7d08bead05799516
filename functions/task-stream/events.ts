import type { StreamRecord } from '../shared/stream-record.ts';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { boardOf, TRACKED_FIELDS, type FieldChange, type TaskEvent, type TaskRecord } from '../shared/task-event.ts';
import type { Change } from './ledger.ts';

/** A Tasks stream record (Lambda's event shape). */
export type TaskStreamRecord = StreamRecord;

const TYPES = { INSERT: 'TASK_CREATED', MODIFY: 'TASK_UPDATED', REMOVE: 'TASK_DELETED' } as const;

/** A stream record as the ledger takes it: its eventID, its board and its event. */
export function changeFromRecord(record: TaskStreamRecord): Change {
  const image = record.dynamodb.NewImage ?? record.dynamodb.OldImage;
  return { eventId: record.eventID, board: boardOf({ board: image?.board?.S }), event: taskEventFromRecord(record) };
}

/** Turns a stream record into a task event (without its sequence, which the ledger assigns). */
export function taskEventFromRecord(record: TaskStreamRecord): Omit<TaskEvent, 'sequence'> {
  const before = record.dynamodb.OldImage ? (unmarshall(record.dynamodb.OldImage) as TaskRecord) : undefined;
  const after = record.dynamodb.NewImage ? (unmarshall(record.dynamodb.NewImage) as TaskRecord) : undefined;
  const task = after ?? before;
  if (!task) throw new Error(`stream record ${record.eventID} has no image: the stream must be NEW_AND_OLD_IMAGES`);
  const boardId = boardOf(task as { board?: string });
  const at = after?.updatedAt ?? new Date((record.dynamodb.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000).toISOString();
  return {
    boardId,
    type: TYPES[record.eventName],
    taskId: task.id,
    task: withoutBookkeeping(task, boardId),
    assigneeId: task.assigneeId ?? null,
    status: task.status ?? null,
    changes: changesBetween(before, after),
    actorId: after?.updatedBy ?? null,
    at,
  };
}

/** Each tracked field that differs, from -> to, as JSON text. */
export function changesBetween(before: TaskRecord | undefined, after: TaskRecord | undefined): FieldChange[] {
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return TRACKED_FIELDS.flatMap((field) => {
    const from = json(before?.[field]);
    const to = json(after?.[field]);
    return from === to ? [] : [{ field, from, to }];
  });
}

/** The task as the API shows it: its board as `boardId`; the table's index keys stay in the table. */
function withoutBookkeeping(task: TaskRecord & { board?: string; column?: string }, boardId: string): TaskRecord {
  const { board: _board, column: _column, ...shown } = task;
  return { ...shown, boardId, labels: shown.labels ?? [] };
}
