/**
 * The task dialog: what it says when a value breaks the API's limits, where it puts the focus,
 * what it saves, and what a member may change.
 */
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { draftOf, type TaskDraft } from '../src/board/draft.ts';
import { localDay } from '../src/board/format.ts';
import { EDITABLE_FIELDS, type EditableField, type Task } from '../src/board/model.ts';
import { blankDraft } from '../src/board/task-form.ts';
import { TaskDialog } from '../src/board/TaskDialog.tsx';
import { ANA, BEN, task } from './board-fixtures.ts';
import { renderWithApp } from './render.tsx';

const teammates = [
  { __typename: 'Teammate' as const, id: ANA, name: 'Ana Lima', email: 'ana@example.com' },
  { __typename: 'Teammate' as const, id: BEN, name: null, email: 'ben@example.com' },
];
const people = new Map([
  [ANA, 'Ana Lima'],
  [BEN, 'ben@example.com'],
]);

function renderForm({
  initial = blankDraft,
  editable = EDITABLE_FIELDS,
  answer,
  editing,
}: { initial?: TaskDraft; editable?: readonly EditableField[]; answer?: string; editing?: Task } = {}) {
  const onSubmit = vi.fn(async (draft: TaskDraft) => {
    void draft;
    return answer;
  });
  renderWithApp(
    <TaskDialog
      initial={initial}
      task={editing}
      teammates={teammates}
      people={people}
      editable={editable}
      onClose={() => undefined}
      onSubmit={onSubmit}
    />,
  );
  const dialog = screen.getByRole('dialog');
  const field = (name: string) =>
    name === 'Due date'
      ? within(dialog).getByLabelText(name)
      : within(dialog).getByRole(['Status', 'Priority', 'Assignee'].includes(name) ? 'combobox' : 'textbox', { name });
  return { dialog, field, onSubmit, user: userEvent.setup() };
}

/** The error shown under a field (wired with aria-describedby). */
function errorOf(input: HTMLElement): string | undefined {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('field-error'))?.textContent ?? undefined;
}

const dayFromToday = (days: number) => localDay(new Date(Date.now() + days * 86_400_000));

describe('the task form', () => {
  it('asks for a title and puts the caret there, without saving', async () => {
    const { dialog, field, onSubmit, user } = renderForm();
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(errorOf(field('Title'))).toBe('Enter a title.');
    expect(field('Title').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('Title'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('says how long the title may be, and clears the message once it fits', async () => {
    const { dialog, field, user } = renderForm();
    await user.click(field('Title'));
    await user.paste('x'.repeat(201));
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(errorOf(field('Title'))).toBe('Keep the title to 200 characters (it has 201).');
    await user.type(field('Title'), '{Backspace}');
    expect(errorOf(field('Title'))).toBeUndefined();
  });

  it('checks the labels: at most 10, each at most 32 characters', async () => {
    const { dialog, field, user } = renderForm();
    await user.type(field('Title'), 'Ship it');
    await user.type(field('Labels'), Array.from({ length: 11 }, (_, i) => `l${i}`).join(', '));
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(errorOf(field('Labels'))).toBe('Use at most 10 labels (there are 11).');
    await user.clear(field('Labels'));
    await user.type(field('Labels'), `ui, ${'a'.repeat(33)}`);
    expect(errorOf(field('Labels'))).toMatch(/^Keep each label to 32 characters/);
  });

  it('refuses a due date that has passed on a new task, but keeps an old one on an edit', async () => {
    const yesterday = dayFromToday(-1);
    const created = renderForm();
    await created.user.type(created.field('Title'), 'Ship it');
    fireEvent.change(created.field('Due date'), { target: { value: yesterday } });
    await created.user.click(within(created.dialog).getByRole('button', { name: 'Create task' }));
    expect(errorOf(created.field('Due date'))).toBe('That day has passed. Pick today or a later day.');
    expect(created.onSubmit).not.toHaveBeenCalled();
    cleanup();

    const old = task({ id: 't1', title: 'Old task', dueDate: yesterday });
    const edited = renderForm({ initial: draftOf(old), editing: old });
    await edited.user.click(within(edited.dialog).getByRole('button', { name: 'Save changes' }));
    expect(edited.onSubmit).toHaveBeenCalledOnce();
  });

  it('saves what was typed: trimmed title, parsed labels, the chosen assignee and day', async () => {
    const { dialog, field, onSubmit, user } = renderForm();
    const due = dayFromToday(3);
    await user.type(field('Title'), '  Ship the board  ');
    await user.selectOptions(field('Priority'), 'High');
    await user.selectOptions(field('Assignee'), 'ben@example.com');
    fireEvent.change(field('Due date'), { target: { value: due } });
    await user.type(field('Labels'), 'ui, a11y, ui, ');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect(onSubmit).toHaveBeenCalledWith({
      title: 'Ship the board',
      description: null,
      status: 'TODO',
      priority: 'HIGH',
      assigneeId: BEN,
      dueDate: due,
      labels: ['ui', 'a11y'],
    });
  });

  it('shows what the API refused', async () => {
    const { dialog, field, user } = renderForm({ answer: 'assigneeId must be the id of an active user' });
    await user.type(field('Title'), 'Ship it');
    await user.click(within(dialog).getByRole('button', { name: 'Create task' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('assigneeId must be the id of an active user');
  });

  it('lets a member change only status, priority and description', () => {
    const mine = task({ id: 't1', title: 'Assigned to me', assigneeId: BEN });
    const { dialog, field } = renderForm({ initial: draftOf(mine), editing: mine, editable: ['status', 'priority', 'description'] });
    expect((field('Title') as HTMLInputElement).disabled).toBe(true);
    expect((field('Assignee') as HTMLSelectElement).disabled).toBe(true);
    expect((field('Priority') as HTMLSelectElement).disabled).toBe(false);
    expect((field('Description') as HTMLTextAreaElement).disabled).toBe(false);
    expect(dialog.textContent).toContain('Admins change the rest.');
  });
});
