/**
 * A task's editable fields as one plain value (a "draft"): what the form edits, what the conflict
 * dialog compares, and the difference between two drafts as an `updateTask` input.
 */
import type { UpdateTaskInput } from '../generated/graphql.ts';
import { EDITABLE_FIELDS, type EditableField, type Task, type TaskPriority, type TaskStatus } from './model.ts';

export interface TaskDraft {
  title: string;
  description: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  assigneeId: string | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
  labels: string[];
}

/** The editable fields of a task. */
export function draftOf(task: Task): TaskDraft {
  return {
    title: task.title,
    description: task.description || null,
    status: task.status,
    priority: task.priority,
    assigneeId: task.assigneeId || null,
    dueDate: task.dueDate || null,
    labels: [...(task.labels ?? [])],
  };
}

/** True when a field holds the same value in both drafts (labels: same labels in the same order). */
export function sameValue(field: EditableField, a: TaskDraft, b: TaskDraft): boolean {
  if (field === 'labels') return a.labels.length === b.labels.length && a.labels.every((label, i) => label === b.labels[i]);
  return (a[field] ?? null) === (b[field] ?? null);
}

/** The fields whose values differ, in form order. */
export function changedFields(from: TaskDraft, to: TaskDraft): EditableField[] {
  return EDITABLE_FIELDS.filter((field) => !sameValue(field, from, to));
}

/** The fields of `to` that differ from `from`, as updateTask sets them (null clears a field). */
export type TaskChanges = Omit<UpdateTaskInput, 'id' | 'expectedVersion' | 'position'>;

export function changesBetween(from: TaskDraft, to: TaskDraft): TaskChanges {
  const changes: Record<string, unknown> = {};
  for (const field of changedFields(from, to)) changes[field] = field === 'labels' ? [...to.labels] : to[field];
  return changes as TaskChanges;
}

/** The updateTask input that turns `task` into `to`; null when nothing would change. */
export function updateInput(task: Task, to: TaskDraft): UpdateTaskInput | null {
  const changes = changesBetween(draftOf(task), to);
  if (Object.keys(changes).length === 0) return null;
  return { id: task.id, expectedVersion: task.version, ...changes };
}
