/** The fields of a task, as the Tasks table and the API hold them. */
export interface TaskRecord {
  id: string;
  /** The board the task is on (the table holds it as `board`, the key of its indexes). */
  boardId?: string;
  /** The task's key on its board (`OPS-42`); absent only on tasks made before boards were migrated. */
  key?: string;
  title: string;
  description?: string;
  status: string;
  priority: string;
  assigneeId?: string;
  dueDate?: string;
  labels: string[];
  /** Order within the status column (base-62 fraction); absent only on tasks made before ranks. */
  rank?: string;
  /** When the task last became DONE; only while it is DONE. */
  completedAt?: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export type TaskEventType = 'TASK_CREATED' | 'TASK_UPDATED' | 'TASK_DELETED';

/** One field's change; values are JSON text (AWSJSON), null when absent. */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** One change of one task: what the stream handler publishes and clients receive. */
export interface TaskEvent {
  /** The board whose sequence numbers the event. */
  boardId: string;
  sequence: number;
  type: TaskEventType;
  taskId: string;
  task: TaskRecord | null;
  assigneeId: string | null;
  status: string | null;
  changes: FieldChange[];
  actorId: string | null;
  at: string;
}

/** The task fields whose changes an event lists (bookkeeping fields are left out). */
export const TRACKED_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels', 'rank'] as const;

/** The GraphQL selection of a TaskEvent, shared by the publisher's mutation and clients. */
export const TASK_EVENT_FIELDS = `boardId sequence type taskId assigneeId status actorId at
  changes { field from to }
  task { id boardId key title description status priority assigneeId dueDate labels rank completedAt createdBy createdAt updatedBy updatedAt version }`;

/**
 * The board a stored task is on: its `board` attribute. A task written before boards has none:
 * it is on `main`, where the boards migration puts it. Each board numbers its own events and
 * keeps its own figures.
 */
export function boardOf(task: { board?: string }): string {
  return task.board ?? 'main';
}
