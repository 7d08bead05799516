/**
 * A task's history, newest first: who did what and when, each changed field from what to what,
 * in words (names, "In progress", dates). Read again whenever the task gets a new version.
 */
import { useCurrentBoard } from '../boards/current-board.tsx';
import { useApolloClient } from '@apollo/client/react';
import { useId } from 'react';
import { TaskHistoryDocument, type TaskHistoryQuery } from '../generated/graphql.ts';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { formatInstant, formatWhen, personName, type People } from './format.ts';
import { STATUS_LABELS, type TaskStatus } from './model.ts';
import { pageOf, useAllPages } from './use-all-pages.ts';
import { fieldLabel, parseChangeValue, valueText } from './values.ts';

type Entry = TaskHistoryQuery['taskHistory']['items'][number];
type Change = Entry['changes'][number];

export function TaskHistory({
  taskId,
  version,
  people,
  me,
}: {
  taskId: string;
  version: number | undefined;
  people: People;
  me: string | undefined;
}) {
  const client = useApolloClient();
  const { id: boardId } = useCurrentBoard();
  const headingId = useId();
  const { items, error, reload } = useAllPages<Entry>(
    async (nextToken) =>
      pageOf((await client.query({ query: TaskHistoryDocument, variables: { boardId, taskId, nextToken }, fetchPolicy: 'no-cache' })).data?.taskHistory),
    taskId,
    version,
  );
  return (
    <section className="board-drawer-section" aria-labelledby={headingId}>
      <h3 id={headingId}>History</h3>
      {error ? (
        <ErrorBanner error={error} onRetry={reload} />
      ) : !items ? (
        <Spinner label="Loading history…" />
      ) : items.length === 0 ? (
        <p className="board-muted">No changes recorded yet.</p>
      ) : (
        <ol className="board-history">
          {[...items].reverse().map((entry) => (
            <HistoryEntry key={entry.version} entry={entry} people={people} me={me} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryEntry({ entry, people, me }: { entry: Entry; people: People; me: string | undefined }) {
  const status = entry.changes.find((c) => c.field === 'status');
  const shown = entry.action === 'UPDATED' ? entry.changes.filter((c) => c.field !== 'rank') : [];
  return (
    <li className="board-history-entry">
      <p>
        <strong>{personName(people, entry.actorId, me)}</strong> {summary(entry, status)}{' '}
        <time dateTime={entry.at} title={formatInstant(entry.at)} className="board-muted">
          · {formatWhen(entry.at)}
        </time>
      </p>
      {shown.length > 0 && (
        <ul className="board-history-changes">
          {shown.map((change) => (
            <li key={change.field}>
              <ChangeLine change={change} people={people} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** What an entry did, as the rest of the sentence after the person's name. */
function summary(entry: Entry, status: Change | undefined): string {
  const statusName = (json: string | null) => STATUS_LABELS[parseChangeValue(json) as TaskStatus] ?? '—';
  switch (entry.action) {
    case 'CREATED':
      return status?.to ? `created the task in ${statusName(status.to)}` : 'created the task';
    case 'DELETED':
      return 'deleted the task';
    case 'MOVED':
      return status ? `moved it from ${statusName(status.from)} to ${statusName(status.to)}` : 'reordered it within its column';
    default:
      return entry.changes.length === 0 ? 'saved it without changes' : entry.changes.every((c) => c.field === 'rank') ? 'reordered it' : 'changed';
  }
}

function ChangeLine({ change, people }: { change: Change; people: People }) {
  const from = valueText(change.field, parseChangeValue(change.from), people);
  const to = valueText(change.field, parseChangeValue(change.to), people);
  const long = from.length > 80 || to.length > 80;
  return (
    <>
      <span className="board-history-field">{fieldLabel(change.field)}:</span>{' '}
      {long ? (
        'edited'
      ) : (
        <>
          <span className="board-history-from">{from}</span> <span aria-hidden="true">→</span>
          <span className="visually-hidden"> to </span> <span className="board-history-to">{to}</span>
        </>
      )}
    </>
  );
}
