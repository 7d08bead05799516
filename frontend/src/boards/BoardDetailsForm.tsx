/**
 * A board's name and rules (whether members create tasks, the labels in use), for its admins.
 * Labels are typed as a comma-separated list; the API keeps at most 50, each 1-30 characters.
 */
import { useApolloClient } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { apiError } from '../data/errors.ts';
import { UpdateBoardDocument, type BoardFieldsFragment } from '../generated/graphql.ts';
import { Field } from '../ui/Field.tsx';
import { toast } from '../ui/toasts.tsx';

/** The labels typed, trimmed, without blanks or repeats. */
export function parseLabels(text: string): string[] {
  return [...new Set(text.split(',').map((label) => label.trim()).filter(Boolean))];
}

export function BoardDetailsForm({ board }: { board: BoardFieldsFragment }) {
  const client = useApolloClient();
  const [name, setName] = useState(board.name);
  const [membersCreateTasks, setMembersCreateTasks] = useState(board.settings.membersCreateTasks);
  const [labels, setLabels] = useState(board.settings.labels.join(', '));
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!name.trim()) return setProblem('Give the board a name.');
    setBusy(true);
    setProblem(undefined);
    try {
      await client.mutate({
        mutation: UpdateBoardDocument,
        variables: { input: { id: board.id, name: name.trim(), settings: { membersCreateTasks, labels: parseLabels(labels) } } },
      });
      toast('Board settings saved.', 'success');
    } catch (failure) {
      setProblem(apiError(failure).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="board-settings-section" onSubmit={submit} noValidate aria-labelledby="board-details-title">
      <h2 id="board-details-title">Board</h2>
      <Field label="Name" error={problem}>
        {(control) => <input {...control} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Labels in use" hint="Separated by commas, for example: bug, docs, ops">
        {(control) => <input {...control} value={labels} onChange={(e) => setLabels(e.target.value)} />}
      </Field>
      <div className="board-settings-check">
        <input id="members-create-tasks" type="checkbox" checked={membersCreateTasks} onChange={(e) => setMembersCreateTasks(e.target.checked)} />
        <label htmlFor="members-create-tasks">Members create tasks (not only board admins)</label>
      </div>
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}
