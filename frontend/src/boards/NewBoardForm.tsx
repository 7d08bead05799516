/**
 * A new board, for installation admins: its name and its key (the prefix of its task keys,
 * OPS-42). The key is suggested from the name until the admin types one. The admin who creates a
 * board becomes its first board admin; the app then goes to it.
 */
import { useApolloClient } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { boardKeyProblem, boardNameProblem } from '../../../rules/task-rules.ts';
import { navigate } from '../app/router.tsx';
import { apiError } from '../data/errors.ts';
import { CreateBoardDocument, MyBoardsDocument } from '../generated/graphql.ts';
import { Field } from '../ui/Field.tsx';
import { toast } from '../ui/toasts.tsx';
import './boards.css';

/** A key from a name: the initials of its words (or its first letters), capitals and digits, 2-10 of them. */
export function suggestBoardKey(name: string): string {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  const initials = words.map((word) => word[0]).join('');
  const key = (initials.length >= 2 ? initials : (words[0] ?? '')).replace(/^[0-9]+/, '').slice(0, 10);
  return key.length >= 2 ? key : '';
}

/** `first`: the person is on no board yet, and this is the page (a level-1 heading, a word on what boards are). */
export function NewBoardForm({ first = false }: { first?: boolean }) {
  const client = useApolloClient();
  const [name, setName] = useState('');
  const [typedKey, setTypedKey] = useState<string>();
  const [problems, setProblems] = useState<{ name?: string; key?: string }>({});
  const [busy, setBusy] = useState(false);
  const key = typedKey ?? suggestBoardKey(name);
  const Heading = first ? 'h1' : 'h2';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const found = { name: boardNameProblem(name) ? 'Give the board a name of 1 to 80 characters.' : undefined, key: boardKeyProblem(key) ? 'Use 2 to 10 capital letters or digits, starting with a letter (OPS, WEB2).' : undefined };
    setProblems(found);
    if (found.name || found.key) return;
    setBusy(true);
    try {
      await client.mutate({ mutation: CreateBoardDocument, variables: { input: { key, name: name.trim() } }, refetchQueries: [{ query: MyBoardsDocument }], awaitRefetchQueries: true });
      toast(`Board ${name.trim()} created. You are its admin.`, 'success');
      navigate(`/board?board=${encodeURIComponent(key)}`);
    } catch (failure) {
      const error = apiError(failure);
      if (error.type === 'ConflictError') setProblems({ key: `The key ${key} is taken by another board. Choose another.` });
      else setProblems({ name: error.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={`board-settings-section${first ? ' first-board' : ''}`} onSubmit={submit} noValidate aria-labelledby="new-board-title">
      <Heading id="new-board-title">{first ? 'Create your first board' : 'New board'}</Heading>
      {first && <p className="board-settings-muted">You are not on a board yet. A board holds tasks and the people who work on them; you will be its admin, and add the others from its settings.</p>}
      <Field label="Name" error={problems.name}>
        {(control) => <input {...control} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Key" hint="The prefix of its task keys, for example OPS for OPS-42." error={problems.key}>
        {(control) => <input {...control} value={key} maxLength={10} autoCapitalize="characters" onChange={(e) => setTypedKey(e.target.value.toUpperCase())} />}
      </Field>
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {busy ? 'Creating…' : 'Create board'}
      </button>
    </form>
  );
}
