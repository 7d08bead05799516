/**
 * A task field's value in words, for the history and the conflict dialog: "In progress" rather
 * than IN_PROGRESS, a name rather than a user id, "No due date" rather than null.
 */
import { formatDay, personName, type People } from './format.ts';
import { FIELD_LABELS, PRIORITY_LABELS, STATUS_LABELS, type EditableField, type TaskPriority, type TaskStatus } from './model.ts';

/** The label of a field as history records it (the editable fields, plus rank). */
export function fieldLabel(field: string): string {
  if (field === 'rank') return 'Position';
  return FIELD_LABELS[field as EditableField] ?? field;
}

/** A field's value in words. */
export function valueText(field: string, value: unknown, people: People): string {
  const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  switch (field) {
    case 'status':
      return empty ? '—' : STATUS_LABELS[value as TaskStatus] ?? String(value);
    case 'priority':
      return empty ? '—' : PRIORITY_LABELS[value as TaskPriority] ?? String(value);
    case 'assigneeId':
      return empty ? 'Unassigned' : personName(people, String(value));
    case 'dueDate':
      return empty ? 'No due date' : formatDay(String(value));
    case 'labels':
      return empty ? 'No labels' : (value as unknown[]).map(String).join(', ');
    case 'description':
      return empty ? 'No description' : String(value);
    default:
      return empty ? '—' : String(value);
  }
}

/** A FieldChange's from/to (AWSJSON: JSON text of the value, null when absent) as the value. */
export function parseChangeValue(json: unknown): unknown {
  if (typeof json !== 'string') return json ?? null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}
