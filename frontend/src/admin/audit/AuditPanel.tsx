/**
 * The audit log: sensitive actions, newest first, filtered by action, person and time, a page
 * at a time ("Load more"). People are named from the users list; entries keep only ids.
 */
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { AuditLogDocument, type AuditFilter } from '../../generated/graphql.ts';
import { apiError } from '../../data/errors.ts';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/feedback.tsx';
import { useUserDirectory } from '../useUserDirectory.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';

/** Entries per page. */
export const AUDIT_PAGE = 50;

export function AuditPanel() {
  const directory = useUserDirectory();
  const [filter, setFilter] = useState<AuditFilter | null>(null);
  const { data, loading, error, refetch, fetchMore } = useQuery(AuditLogDocument, {
    variables: { filter, limit: AUDIT_PAGE },
    fetchPolicy: 'network-only',
    nextFetchPolicy: 'cache-first',
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string>();

  const apply = (next: AuditFilter | null) => {
    setMoreError(undefined);
    // The same filter again means "look again".
    if (JSON.stringify(next) === JSON.stringify(filter)) void refetch().catch(() => undefined);
    else setFilter(next);
  };
  const loadMore = () => {
    setLoadingMore(true);
    setMoreError(undefined);
    fetchMore({
      variables: { filter, limit: AUDIT_PAGE, nextToken: data?.auditLog.nextToken },
      updateQuery: (before, { fetchMoreResult }) => ({
        auditLog: { ...fetchMoreResult.auditLog, items: [...before.auditLog.items, ...fetchMoreResult.auditLog.items] },
      }),
    })
      .catch((caught: unknown) => setMoreError(apiError(caught).message))
      .finally(() => setLoadingMore(false));
  };

  const entries = data?.auditLog.items ?? [];
  return (
    <div className="admin-panel">
      <div className="admin-panel-head">
        <div>
          <h2>Audit log</h2>
          <p className="admin-muted">Every sensitive action, newest first. Entries are never changed or removed; they hold ids and outcomes, never images or tokens.</p>
        </div>
      </div>
      <AuditFilters users={directory.users} onApply={apply} />
      {error && <ErrorBanner error={apiError(error)} onRetry={() => void refetch().catch(() => undefined)} />}
      {loading && !data ? (
        <Spinner label="Loading the audit log…" />
      ) : data && entries.length === 0 ? (
        <EmptyState title={filter ? 'No entries match these filters' : 'The audit log is empty'}>{filter && <p>Try a wider time range or another action.</p>}</EmptyState>
      ) : (
        data && (
          <>
            <p className="admin-muted admin-count" role="status">
              {entries.length} {entries.length === 1 ? 'entry' : 'entries'} shown{data.auditLog.nextToken ? '; more are older' : ''}.
            </p>
            <AuditTable entries={entries} users={directory.byId} />
          </>
        )
      )}
      {moreError && <ErrorBanner error={moreError} onRetry={loadMore} />}
      {data?.auditLog.nextToken && (
        <button type="button" className="button admin-more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more entries'}
        </button>
      )}
    </div>
  );
}
