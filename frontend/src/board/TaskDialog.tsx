/**
 * The dialog to create or edit a task. Checks the values as the API would, says what is wrong next
 * to the field, and moves focus to the first field to fix. Members see only what they may change
 * (status, priority, description of their own tasks) as editable.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorBanner } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import type { TaskDraft } from './draft.ts';
import { localDay, personName, type People } from './format.ts';
import type { Teammate } from './load-board.ts';
import { EDITABLE_FIELDS, LIMITS, PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS, type EditableField, type Task } from './model.ts';
import { formValuesOf, validateTaskForm, type TaskFormErrors, type TaskFormValues } from './task-form.ts';

export interface TaskDialogProps {
  /** The values the form starts from (a blank draft, or the task being edited). */
  initial: TaskDraft;
  /** Set when editing: the task as it was opened. */
  task?: Task;
  /** The task as the board has it now; when newer than `task`, the person is told. */
  latest?: Task;
  teammates: Teammate[];
  people: People;
  editable: readonly EditableField[];
  onClose(): void;
  /** Saves; resolves to an error message to show, or undefined when done. */
  onSubmit(draft: TaskDraft): Promise<string | undefined>;
}

export function TaskDialog({ initial, task, latest, teammates, people, editable, onClose, onSubmit }: TaskDialogProps) {
  const [values, setValues] = useState<TaskFormValues>(() => formValuesOf(initial));
  const [errors, setErrors] = useState<TaskFormErrors>({});
  const [checked, setChecked] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string>();
  const form = useRef<HTMLFormElement>(null);
  const formId = useId();
  const editing = !!task;
  const today = localDay();

  const set = <K extends keyof TaskFormValues>(key: K, value: TaskFormValues[K]) => {
    const next = { ...values, [key]: value };
    setValues(next);
    // Once the person has tried to save, keep the messages in step with what they type.
    if (checked) setErrors(validateTaskForm(next, { original: initial, today }).errors);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const { draft, errors } = validateTaskForm(values, { original: initial, today });
    setChecked(true);
    setErrors(errors);
    const invalid = EDITABLE_FIELDS.find((field) => errors[field]);
    if (invalid) {
      form.current?.querySelector<HTMLElement>(`[name="${invalid}"]`)?.focus();
      return;
    }
    setSaving(true);
    setFailure(undefined);
    const message = await onSubmit(draft);
    setSaving(false);
    if (message) setFailure(message);
  };

  const locked = (field: EditableField) => !editable.includes(field) || saving;
  const stale = task && latest && latest.version > task.version;
  const assigneeMissing = values.assigneeId && !teammates.some((t) => t.id === values.assigneeId);

  return (
    <Dialog
      open
      title={editing ? 'Edit task' : 'New task'}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" aria-disabled={saving || undefined}>
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Create task'}
          </button>
        </>
      }
    >
      <form id={formId} ref={form} onSubmit={submit} noValidate className="board-form">
        {stale && (
          <p className="board-notice" role="status">
            {personName(people, latest.updatedBy)} changed this task while you were editing. When you save, you will choose which changes to keep.
          </p>
        )}
        {editing && editable.length < EDITABLE_FIELDS.length && (
          <p className="board-notice">You can change the status, priority and description of tasks assigned to you. Admins change the rest.</p>
        )}
        {failure && <ErrorBanner error={failure} />}
        <Field label="Title" error={errors.title}>
          {(control) => (
            <input
              {...control}
              name="title"
              type="text"
              autoComplete="off"
              value={values.title}
              disabled={locked('title')}
              onChange={(e) => set('title', e.target.value)}
              aria-required="true"
            />
          )}
        </Field>
        <Field label="Description" hint={`Optional, up to ${LIMITS.description.toLocaleString('en-US')} characters.`} error={errors.description}>
          {(control) => (
            <textarea
              {...control}
              name="description"
              rows={4}
              value={values.description}
              disabled={locked('description')}
              onChange={(e) => set('description', e.target.value)}
            />
          )}
        </Field>
        <div className="board-form-row">
          <Field label="Status" error={errors.status}>
            {(control) => (
              <select
                {...control}
                name="status"
                value={values.status}
                disabled={locked('status')}
                onChange={(e) => set('status', e.target.value as TaskFormValues['status'])}
              >
                {STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {STATUS_LABELS[status]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Priority" error={errors.priority}>
            {(control) => (
              <select
                {...control}
                name="priority"
                value={values.priority}
                disabled={locked('priority')}
                onChange={(e) => set('priority', e.target.value as TaskFormValues['priority'])}
              >
                {PRIORITIES.map((priority) => (
                  <option key={priority} value={priority}>
                    {PRIORITY_LABELS[priority]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="board-form-row">
          <Field label="Assignee" hint="Optional." error={errors.assigneeId}>
            {(control) => (
              <select
                {...control}
                name="assigneeId"
                value={values.assigneeId}
                disabled={locked('assigneeId')}
                onChange={(e) => set('assigneeId', e.target.value)}
              >
                <option value="">Unassigned</option>
                {assigneeMissing && <option value={values.assigneeId}>{personName(people, values.assigneeId)}</option>}
                {teammates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name ? `${t.name} (${t.email})` : t.email}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Due date" hint="Optional." error={errors.dueDate}>
            {(control) => (
              <input
                {...control}
                name="dueDate"
                type="date"
                value={values.dueDate}
                disabled={locked('dueDate')}
                onChange={(e) => set('dueDate', e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Labels" hint={`Separate with commas; up to ${LIMITS.labels}, each up to ${LIMITS.label} characters.`} error={errors.labels}>
          {(control) => (
            <input
              {...control}
              name="labels"
              type="text"
              autoComplete="off"
              value={values.labels}
              disabled={locked('labels')}
              onChange={(e) => set('labels', e.target.value)}
            />
          )}
        </Field>
      </form>
      <FocusFirst form={form} />
    </Dialog>
  );
}

/** Puts the caret in the first field the person may change, once the dialog is open. */
function FocusFirst({ form }: { form: RefObject<HTMLFormElement | null> }) {
  useEffect(() => {
    // After the dialog's showModal(), which focuses its first control (the close button).
    const timer = setTimeout(() =>
      form.current?.querySelector<HTMLElement>('input:not(:disabled), textarea:not(:disabled), select:not(:disabled)')?.focus(),
    );
    return () => clearTimeout(timer);
  }, [form]);
  return null;
}
