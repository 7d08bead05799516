/**
 * Shown when a save meets a newer version of the task: their version and the person's, field by
 * field, and three ways out: keep theirs, apply mine over theirs, or save a merge of the choices
 * made per field (preselected: mine where the person changed the field, theirs elsewhere).
 */
import { useState } from 'react';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorBanner } from '../ui/feedback.tsx';
import { suggestedChoices, type Conflict, type FieldDifference, type Resolution, type Side } from './conflict.ts';
import { personName, type People } from './format.ts';
import { FIELD_LABELS, type EditableField } from './model.ts';
import { valueText } from './values.ts';

export interface ConflictDialogProps {
  conflict: Conflict;
  people: People;
  /** True when the task changed yet again while the person was deciding. */
  changedAgain?: boolean;
  /** Carries out a resolution; resolves to an error message to show, or undefined when done. */
  onResolve(resolution: Resolution): Promise<string | undefined>;
  onClose(): void;
}

export function ConflictDialog({ conflict, people, changedAgain = false, onResolve, onClose }: ConflictDialogProps) {
  const [choices, setChoices] = useState<Record<EditableField, Side>>(() => suggestedChoices(conflict));
  const [busy, setBusy] = useState<Resolution['kind']>();
  const [failure, setFailure] = useState<string>();
  const who = personName(people, conflict.theirs.updatedBy);

  const resolve = async (resolution: Resolution) => {
    if (busy) return;
    setBusy(resolution.kind);
    setFailure(undefined);
    const message = await onResolve(resolution);
    setBusy(undefined);
    if (message) setFailure(message);
  };

  return (
    <Dialog
      open
      role="alertdialog"
      size="wide"
      title="Someone else changed this task"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" aria-disabled={!!busy || undefined} onClick={() => resolve({ kind: 'theirs' })}>
            Keep theirs
          </button>
          <button type="button" className="button" aria-disabled={!!busy || undefined} onClick={() => resolve({ kind: 'mine' })}>
            {busy === 'mine' ? 'Saving…' : 'Apply mine'}
          </button>
          <button type="button" className="button button-primary" aria-disabled={!!busy || undefined} onClick={() => resolve({ kind: 'merge', choices })}>
            {busy === 'merge' ? 'Saving…' : 'Save merge'}
          </button>
        </>
      }
    >
      <p>
        {who === 'You' ? 'You changed' : `${who} changed`} “{conflict.theirs.title}” after you opened it, so your changes were not saved yet.
        {changedAgain && <strong> It changed again while you were deciding; the comparison below is up to date.</strong>}
      </p>
      <ul className="board-conflict-help">
        <li>
          <strong>Keep theirs</strong> discards your changes.
        </li>
        <li>
          <strong>Apply mine</strong> saves your version of every field below over theirs.
        </li>
        <li>
          <strong>Save merge</strong> saves the version you pick for each field.
        </li>
      </ul>
      {failure && <ErrorBanner error={failure} />}
      {conflict.differences.length === 0 ? (
        <p className="board-notice">Their version already matches yours; keeping theirs loses nothing.</p>
      ) : (
        <div className="board-conflict-fields">
          {conflict.differences.map((difference) => (
            <FieldChoice
              key={difference.field}
              difference={difference}
              who={who}
              people={people}
              choice={choices[difference.field]}
              disabled={!!busy}
              onChoose={(side) => setChoices((current) => ({ ...current, [difference.field]: side }))}
            />
          ))}
        </div>
      )}
    </Dialog>
  );
}

function FieldChoice({
  difference,
  who,
  people,
  choice,
  disabled,
  onChoose,
}: {
  difference: FieldDifference;
  who: string;
  people: People;
  choice: Side;
  disabled: boolean;
  onChoose(side: Side): void;
}) {
  const { field, choosable } = difference;
  const name = `conflict-${field}`;
  const option = (side: Side) => {
    const value = valueText(field, difference[side], people);
    const changed = side === 'theirs' ? difference.changedByThem : difference.changedByMe;
    const heading = side === 'theirs' ? 'Theirs' : 'Mine';
    const note = changed ? (side === 'theirs' ? `changed by ${who === 'You' ? 'you elsewhere' : who}` : 'changed by you') : 'unchanged';
    const body = (
      <>
        <span className="board-conflict-side">
          {heading} <span className="board-conflict-note">({note})</span>
        </span>
        <span className={`board-conflict-value${field === 'description' ? ' board-conflict-long' : ''}`}>{value}</span>
      </>
    );
    if (!choosable) return <div className={`board-conflict-option${side === 'theirs' ? ' board-conflict-chosen' : ''}`}>{body}</div>;
    return (
      <label className={`board-conflict-option${choice === side ? ' board-conflict-chosen' : ''}`}>
        <input
          type="radio"
          name={name}
          value={side}
          checked={choice === side}
          disabled={disabled}
          onChange={() => onChoose(side)}
          aria-label={`${heading}: ${value}`}
        />
        {body}
      </label>
    );
  };
  return (
    <fieldset className="board-conflict-field">
      <legend>{FIELD_LABELS[field]}</legend>
      {!choosable && <p className="board-conflict-locked">Only admins can change this; their value stays.</p>}
      <div className="board-conflict-options">
        {option('theirs')}
        {option('mine')}
      </div>
    </fieldset>
  );
}
