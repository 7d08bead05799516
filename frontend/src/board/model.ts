/**
 * The board's vocabulary: the task shape the board keeps, the columns and priorities in the words
 * people read, and what a person may do on the board in use. The statuses, the limits and the
 * board roles' permissions are the shared rules' (rules/), the ones the API enforces, so the app
 * never offers what the API refuses.
 */
import { changeRefusal, mayCreateTask, mayDeleteComment, permissionsOf } from '../../../rules/board-access.ts';
import { LIMITS as TASK_LIMITS, STATUSES as TASK_STATUSES } from '../../../rules/task-rules.ts';
import type { BoardRole, TaskFieldsFragment, TaskPriority, TaskStatus } from '../generated/graphql.ts';

export type { TaskPriority, TaskStatus };

/** A task as the board keeps it: the shared `TaskFields` selection. */
export type Task = TaskFieldsFragment;

/** The columns, left to right. */
export const STATUSES = TASK_STATUSES as readonly TaskStatus[];

export { PRIORITY_LABELS, STATUS_LABELS } from '../data/task-labels.ts';

/** Highest first, as the picker lists them. */
export const PRIORITIES: readonly TaskPriority[] = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'];

/** The limits the API enforces. */
export const LIMITS = TASK_LIMITS;

/** The fields a person edits in the task form; the conflict dialog compares the same ones. */
export const EDITABLE_FIELDS = ['title', 'description', 'status', 'priority', 'assigneeId', 'dueDate', 'labels'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];


export const FIELD_LABELS: Record<EditableField, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  assigneeId: 'Assignee',
  dueDate: 'Due date',
  labels: 'Labels',
};

/** Who looks at the board: the signed-in person and their role on the board in use. */
export interface Viewer {
  userId: string;
  boardRole: BoardRole;
}

/** True when the person may change (and move) this task at all. */
export function canChange(viewer: Viewer | null, task: Pick<Task, 'assigneeId'>): boolean {
  return !!viewer && changeRefusal(viewer.boardRole, viewer.userId, task, []) === null;
}

/** The form fields this person may change on this task (none when they may not change it). */
export function editableFields(viewer: Viewer | null, task: Pick<Task, 'assigneeId'>): readonly EditableField[] {
  if (!viewer || !canChange(viewer, task)) return [];
  const allowed = permissionsOf(viewer.boardRole).changeFields;
  return EDITABLE_FIELDS.filter((field) => allowed.includes(field));
}

/** Whether the person may create tasks on this board (its admins; its members where it lets them). */
export function canCreateTasks(viewer: Viewer | null, membersCreateTasks: boolean): boolean {
  return !!viewer && mayCreateTask(viewer.boardRole, membersCreateTasks);
}

export function canDeleteTasks(viewer: Viewer | null): boolean {
  return !!viewer && permissionsOf(viewer.boardRole).deleteTasks;
}

export function canComment(viewer: Viewer | null): boolean {
  return !!viewer && permissionsOf(viewer.boardRole).comment;
}

export function canDeleteComment(viewer: Viewer | null, authorId: string): boolean {
  return !!viewer && mayDeleteComment(viewer.boardRole, viewer.userId, authorId);
}
