/**
 * The board's vocabulary: the task shape the board keeps, the columns and priorities in the words
 * people read, and what each role may change (mirroring resolvers/lib/tasks.ts and
 * resolvers/functions/writeTaskUpdate.ts, so the app never offers what the API refuses).
 */
import type { TaskFieldsFragment, TaskPriority, TaskStatus } from '../generated/graphql.ts';
import type { Session } from '../session/session.ts';

export type { TaskPriority, TaskStatus };

/** A task as the board keeps it: the shared `TaskFields` selection. */
export type Task = TaskFieldsFragment;

/** The columns, left to right. */
export const STATUSES: readonly TaskStatus[] = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];

export { PRIORITY_LABELS, STATUS_LABELS } from '../data/task-labels.ts';

/** Highest first, as the picker lists them. */
export const PRIORITIES: readonly TaskPriority[] = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'];

/** The limits the API enforces (resolvers/lib/tasks.ts, resolvers/lib/comments.ts). */
export const LIMITS = {
  title: 200,
  description: 10_000,
  labels: 10,
  label: 32,
  comment: 5_000,
} as const;

/** The fields a person edits in the task form; the conflict dialog compares the same ones. */
export const EDITABLE_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** A member may change only these, and only on a task assigned to them. */
const MEMBER_FIELDS: readonly EditableField[] = ['status', 'priority', 'description'];

export const FIELD_LABELS: Record<EditableField, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  assigneeId: 'Assignee',
  dueDate: 'Due date',
  labels: 'Labels',
};

/** True when the person may change (and move) this task at all. */
export function canChange(session: Pick<Session, 'role' | 'userId'> | null, task: Pick<Task, 'assigneeId'>): boolean {
  if (!session) return false;
  return session.role === 'ADMIN' || task.assigneeId === session.userId;
}

/** The form fields this person may change on this task (none when they may not change it). */
export function editableFields(session: Pick<Session, 'role' | 'userId'> | null, task: Pick<Task, 'assigneeId'> | null): readonly EditableField[] {
  if (!session) return [];
  if (session.role === 'ADMIN') return EDITABLE_FIELDS;
  return task && canChange(session, task) ? MEMBER_FIELDS : [];
}

/** Only admins create and delete tasks (createTask, deleteTask). */
export function isAdmin(session: Pick<Session, 'role'> | null): boolean {
  return session?.role === 'ADMIN';
}
