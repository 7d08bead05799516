/**
 * The audit log's filters: action, who acted, from and to (in the viewer's time zone). Applied
 * together with the button, so a half-typed date never runs a query.
 */
import { useId, useState, type FormEvent } from 'react';
import type { AdminUserFieldsFragment, AuditAction, AuditFilter } from '../../generated/graphql.ts';
import { Field } from '../../ui/Field.tsx';
import { displayName } from '../format.ts';
import { ACTION_LABELS, toInstant } from './audit-format.ts';

export interface AuditFiltersProps {
  users: AdminUserFieldsFragment[];
  onApply(filter: AuditFilter | null): void;
}

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function AuditFilters({ users, onApply }: AuditFiltersProps) {
  const [action, setAction] = useState<AuditAction | ''>('');
  const [actorId, setActorId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [rangeError, setRangeError] = useState<string>();
  const timesNote = useId();
  // The note under the row says how the times are read; both time fields point to it.
  const describedBy = (own: string | undefined) => [own, timesNote].filter(Boolean).join(' ');

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const filter: AuditFilter = {};
    if (action) filter.action = action;
    if (actorId) filter.actorId = actorId;
    const fromInstant = toInstant(from);
    const toInstantValue = toInstant(to, { end: true });
    if (fromInstant) filter.from = fromInstant;
    if (toInstantValue) filter.to = toInstantValue;
    if (fromInstant && toInstantValue && fromInstant > toInstantValue) {
      setRangeError('“From” must be before “to”.');
      return;
    }
    setRangeError(undefined);
    onApply(Object.keys(filter).length ? filter : null);
  };
  const clear = () => {
    setAction('');
    setActorId('');
    setFrom('');
    setTo('');
    setRangeError(undefined);
    onApply(null);
  };

  const people = [...users].sort((a, b) => displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base' }));
  return (
    <form className="admin-filters" onSubmit={apply} aria-label="Audit log filters" noValidate>
      <Field label="Action">
        {(control) => (
          <select {...control} value={action} onChange={(event) => setAction(event.target.value as AuditAction | '')}>
            <option value="">Any action</option>
            {(Object.keys(ACTION_LABELS) as AuditAction[]).map((value) => (
              <option key={value} value={value}>
                {ACTION_LABELS[value]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Who">
        {(control) => (
          <select {...control} value={actorId} onChange={(event) => setActorId(event.target.value)}>
            <option value="">Anyone</option>
            <optgroup label="People">
              {people.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name ? `${user.name} (${user.email})` : user.email}
                </option>
              ))}
            </optgroup>
            <optgroup label="Not a person">
              <option value="system">SecureTask (background jobs)</option>
              <option value="anonymous">Someone without an account</option>
            </optgroup>
          </select>
        )}
      </Field>
      <Field label="From" error={rangeError}>
        {(control) => (
          <input {...control} aria-describedby={describedBy(control['aria-describedby'])} type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} />
        )}
      </Field>
      <Field label="To">
        {(control) => (
          <input {...control} aria-describedby={describedBy(control['aria-describedby'])} type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} />
        )}
      </Field>
      <div className="admin-filter-buttons">
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        <button type="button" className="button" onClick={clear}>
          Clear
        </button>
      </div>
      <p id={timesNote} className="admin-filters-note">
        Times are in your time zone ({timeZone}); “to” includes the whole of its minute.
      </p>
    </form>
  );
}
