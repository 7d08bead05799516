/**
 * Conflicts: the diff and merge of the person's version against the current one, and the dialog
 * that lets them keep theirs, apply theirs, or merge field by field.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { describeConflict, resolutionInput, suggestedChoices, taskFromConflict, type Resolution } from '../src/board/conflict.ts';
import { ConflictDialog } from '../src/board/ConflictDialog.tsx';
import { draftOf } from '../src/board/draft.ts';
import { EDITABLE_FIELDS } from '../src/board/model.ts';
import { ANA, BEN, storedItem, task } from './board-fixtures.ts';
import { renderWithApp } from './render.tsx';

// Ana opened version 1 and changed the title and the labels; meanwhile Ben raised the priority,
// wrote a description and changed the labels too.
const base = task({ id: 't1', title: 'Fix login', labels: ['bug'], version: 1 });
const mine = { ...draftOf(base), title: 'Fix the login loop', labels: ['bug', 'auth'] };
const theirs = task({
  id: 't1',
  title: 'Fix login',
  priority: 'URGENT',
  description: 'Users loop forever',
  labels: ['bug', 'p1'],
  version: 3,
  updatedBy: BEN,
});
const checked = (element: HTMLElement) => (element as HTMLInputElement).checked;
const people = new Map([
  [ANA, 'Ana Lima'],
  [BEN, 'Ben Ode'],
]);

describe('comparing versions', () => {
  const conflict = describeConflict(base, mine, theirs, EDITABLE_FIELDS);

  it('lists each field where the two versions differ, and who changed it', () => {
    expect(conflict.differences.map((d) => [d.field, d.changedByMe, d.changedByThem, d.suggested])).toEqual([
      ['title', true, false, 'mine'],
      ['description', false, true, 'theirs'],
      ['priority', false, true, 'theirs'],
      ['labels', true, true, 'mine'],
    ]);
  });

  it('leaves out a field both changed to the same value', () => {
    const same = describeConflict(base, { ...mine, priority: 'URGENT' }, theirs, EDITABLE_FIELDS);
    expect(same.differences.map((d) => d.field)).not.toContain('priority');
  });

  it('keeps theirs by sending nothing', () => {
    expect(resolutionInput(conflict, { kind: 'theirs' })).toBeNull();
  });

  it('applies mine over theirs at their version, undoing their changes too', () => {
    expect(resolutionInput(conflict, { kind: 'mine' })).toEqual({
      id: 't1',
      expectedVersion: 3,
      title: 'Fix the login loop',
      description: null,
      priority: 'MEDIUM',
      labels: ['bug', 'auth'],
    });
  });

  it('merges mine where I changed a field and theirs elsewhere, unless I choose otherwise', () => {
    expect(resolutionInput(conflict, { kind: 'merge', choices: suggestedChoices(conflict) })).toEqual({
      id: 't1',
      expectedVersion: 3,
      title: 'Fix the login loop',
      labels: ['bug', 'auth'],
    });
    expect(resolutionInput(conflict, { kind: 'merge', choices: { labels: 'theirs', priority: 'mine' } })).toEqual({
      id: 't1',
      expectedVersion: 3,
      title: 'Fix the login loop',
      priority: 'MEDIUM',
    });
  });

  it('never sends a field the person may not change (members)', () => {
    const member = describeConflict(base, { ...mine, priority: 'LOW' }, theirs, ['status', 'priority', 'description']);
    expect(member.differences.find((d) => d.field === 'title')).toMatchObject({ choosable: false, suggested: 'theirs' });
    expect(resolutionInput(member, { kind: 'mine' })).toEqual({ id: 't1', expectedVersion: 3, priority: 'LOW', description: null });
  });

  it('reads the current task from a ConflictError, absent fields as null', () => {
    expect(taskFromConflict(storedItem(theirs))).toEqual({ ...theirs, __typename: undefined, assigneeId: null, dueDate: null, completedAt: null });
    expect(taskFromConflict({ message: 'nope' })).toBeUndefined();
    expect(taskFromConflict(null)).toBeUndefined();
  });
});

describe('the conflict dialog', () => {
  function renderDialog() {
    const conflict = describeConflict(base, mine, theirs, EDITABLE_FIELDS);
    const sent: (ReturnType<typeof resolutionInput> | 'closed')[] = [];
    const onResolve = vi.fn(async (resolution: Resolution) => {
      sent.push(resolutionInput(conflict, resolution));
      return undefined;
    });
    renderWithApp(<ConflictDialog conflict={conflict} people={people} onResolve={onResolve} onClose={() => sent.push('closed')} />);
    return { sent, dialog: screen.getByRole('alertdialog', { name: 'Someone else changed this task' }) };
  }

  it('shows both versions of each differing field in words, with who changed what', () => {
    const { dialog } = renderDialog();
    expect(dialog.textContent).toContain('Ben Ode changed “Fix login” after you opened it');
    const priority = within(dialog).getByRole('group', { name: 'Priority' });
    expect(checked(within(priority).getByRole('radio', { name: 'Theirs: Urgent' }))).toBe(true);
    expect(checked(within(priority).getByRole('radio', { name: 'Mine: Medium' }))).toBe(false);
    expect(priority.textContent).toContain('changed by Ben Ode');
    const title = within(dialog).getByRole('group', { name: 'Title' });
    expect(checked(within(title).getByRole('radio', { name: 'Mine: Fix the login loop' }))).toBe(true);
    expect(within(dialog).getByRole('group', { name: 'Description' }).textContent).toContain('No description');
  });

  it('keeps theirs without saving anything', async () => {
    const { sent, dialog } = renderDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Keep theirs' }));
    expect(sent).toEqual([null]);
  });

  it('applies mine over theirs', async () => {
    const { sent, dialog } = renderDialog();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Apply mine' }));
    expect(sent).toEqual([
      { id: 't1', expectedVersion: 3, title: 'Fix the login loop', description: null, priority: 'MEDIUM', labels: ['bug', 'auth'] },
    ]);
  });

  it('saves the merge the person picked, field by field', async () => {
    const { sent, dialog } = renderDialog();
    await userEvent.click(within(within(dialog).getByRole('group', { name: 'Priority' })).getByRole('radio', { name: 'Mine: Medium' }));
    await userEvent.click(within(within(dialog).getByRole('group', { name: 'Labels' })).getByRole('radio', { name: 'Theirs: bug, p1' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save merge' }));
    expect(sent).toEqual([{ id: 't1', expectedVersion: 3, title: 'Fix the login loop', priority: 'MEDIUM' }]);
  });

  it('says why a resolution failed and stays open', async () => {
    const conflict = describeConflict(base, mine, theirs, EDITABLE_FIELDS);
    renderWithApp(
      <ConflictDialog
        conflict={conflict}
        people={people}
        onResolve={async () => 'The title must be 1 to 200 characters.'}
        onClose={() => undefined}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save merge' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The title must be 1 to 200 characters.');
    expect(screen.queryByRole('alertdialog')).not.toBeNull();
  });
});
