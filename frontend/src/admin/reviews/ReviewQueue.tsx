/**
 * The review queue: sessions whose faces were close but not close enough, soonest to expire
 * first. Image links live one minute, so the queue is read afresh on arrival, when a review is
 * opened, and when an image fails to load.
 */
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { VerificationsForReviewDocument } from '../../generated/graphql.ts';
import { apiError } from '../../data/errors.ts';
import { EmptyState, ErrorBanner, Spinner } from '../../ui/feedback.tsx';
import { displayName } from '../format.ts';
import { ReviewDialog } from './ReviewDialog.tsx';
import { ReviewItem } from './ReviewItem.tsx';
import { useThresholds } from './thresholds.ts';

const PAGE = 20;

export function ReviewQueue() {
  const thresholds = useThresholds();
  const { data, loading, error, refetch, fetchMore } = useQuery(VerificationsForReviewDocument, {
    variables: { limit: PAGE },
    // Cached links may have expired: always ask.
    fetchPolicy: 'network-only',
    nextFetchPolicy: 'cache-first',
  });
  const [refreshing, setRefreshing] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [open, setOpen] = useState<{ id: string; title: string }>();

  const refresh = () => {
    setRefreshing(true);
    refetch()
      .catch(() => undefined) // the error shows through `error`
      .finally(() => setRefreshing(false));
  };
  const loadMore = () => {
    setLoadingMore(true);
    fetchMore({
      variables: { nextToken: data?.verificationsForReview.nextToken },
      updateQuery: (before, { fetchMoreResult }) => ({
        verificationsForReview: {
          ...fetchMoreResult.verificationsForReview,
          items: [...before.verificationsForReview.items, ...fetchMoreResult.verificationsForReview.items],
        },
      }),
    })
      .catch(() => undefined)
      .finally(() => setLoadingMore(false));
  };

  // A decided session keeps its id with a new state: it leaves the queue at once.
  const waiting = (data?.verificationsForReview.items ?? []).filter((session) => session.state === 'NEEDS_REVIEW');
  const opened = open && waiting.find((session) => session.id === open.id);

  return (
    <div className="admin-panel">
      <div className="admin-panel-head">
        <div>
          <h2>Waiting for review</h2>
          <p className="admin-muted">
            The faces were close, but not close enough to accept on their own. Compare the ID photo with the face from the liveness check (and its video frames) and decide. Sessions expire
            unreviewed after 7 days, and their images are deleted.
          </p>
        </div>
        {/* aria-disabled while checking, not disabled: the focus stays on the button. */}
        <button type="button" className="button" onClick={() => !(refreshing || loading) && refresh()} aria-disabled={refreshing || loading || undefined}>
          {refreshing ? 'Checking…' : 'Check for new'}
        </button>
      </div>
      {error && <ErrorBanner error={apiError(error)} onRetry={refresh} />}
      {loading && !data ? (
        <Spinner label="Loading the queue…" />
      ) : data && waiting.length === 0 ? (
        <EmptyState title="Nobody is waiting">
          <p>When the face in someone's liveness check and their ID are close but not a clear match, they appear here for you to decide.</p>
        </EmptyState>
      ) : (
        <ul className="admin-review-list" aria-label="Sessions waiting for review">
          {waiting.map((session) => (
            <li key={session.id}>
              <ReviewItem
                session={session}
                thresholds={thresholds}
                onRefresh={refresh}
                onOpen={() => {
                  setOpen({ id: session.id, title: displayName(session) });
                  refresh();
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {data?.verificationsForReview.nextToken && (
        <button type="button" className="button admin-more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more sessions'}
        </button>
      )}
      {open && <ReviewDialog session={opened} title={open.title} refreshing={refreshing} onRefresh={refresh} onClose={() => setOpen(undefined)} />}
    </div>
  );
}
