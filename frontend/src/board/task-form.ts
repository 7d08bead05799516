/**
 * The task form's values and their checks: the API's limits (resolvers/lib/tasks.ts) said in
 * sentences next to the field, before anything is sent.
 */
import type { TaskDraft } from './draft.ts';
import { isDay } from './format.ts';
import { LIMITS, type EditableField, type TaskPriority, type TaskStatus } from './model.ts';

/** What the inputs hold: text, as typed. */
export interface TaskFormValues {
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** '' for nobody. */
  assigneeId: string;
  /** YYYY-MM-DD or ''. */
  dueDate: string;
  /** Comma-separated. */
  labels: string;
}

export type TaskFormErrors = Partial<Record<EditableField, string>>;

/** A new task's starting values. */
export const blankDraft: TaskDraft = {
  title: '',
  description: null,
  status: 'TODO',
  priority: 'MEDIUM',
  assigneeId: null,
  dueDate: null,
  labels: [],
};

export function formValuesOf(draft: TaskDraft): TaskFormValues {
  return {
    title: draft.title,
    description: draft.description ?? '',
    status: draft.status,
    priority: draft.priority,
    assigneeId: draft.assigneeId ?? '',
    dueDate: draft.dueDate ?? '',
    labels: draft.labels.join(', '),
  };
}

/** Labels from "bug, ui , bug": trimmed, without empties or repeats, in the order typed. */
export function parseLabels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean),
    ),
  ];
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Checks the values; the draft is what would be saved. `original` is the task being edited
 * (a due date already in the past may stay), `today` the person's YYYY-MM-DD.
 */
export function validateTaskForm(
  values: TaskFormValues,
  { original, today }: { original?: TaskDraft; today: string },
): { draft: TaskDraft; errors: TaskFormErrors } {
  const errors: TaskFormErrors = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Enter a title.';
  else if (title.length > LIMITS.title) errors.title = `Keep the title to ${LIMITS.title} characters (it has ${count(title.length)}).`;

  const description = values.description.trim() ? values.description : '';
  if (description.length > LIMITS.description) {
    errors.description = `Keep the description to ${count(LIMITS.description)} characters (it has ${count(description.length)}).`;
  }

  const labels = parseLabels(values.labels);
  const long = labels.find((label) => label.length > LIMITS.label);
  if (labels.length > LIMITS.labels) errors.labels = `Use at most ${LIMITS.labels} labels (there are ${labels.length}).`;
  else if (long) errors.labels = `Keep each label to ${LIMITS.label} characters; “${long.slice(0, 20)}…” is longer.`;

  const dueDate = values.dueDate.trim();
  if (dueDate && !isDay(dueDate)) errors.dueDate = 'Enter the due date as a day, for example 2026-05-31.';
  else if (dueDate && dueDate < today && dueDate !== original?.dueDate) errors.dueDate = 'That day has passed. Pick today or a later day.';

  return {
    errors,
    draft: {
      title,
      description: description || null,
      status: values.status,
      priority: values.priority,
      assigneeId: values.assigneeId || null,
      dueDate: dueDate || null,
      labels,
    },
  };
}
