/** One session in the queue: who, both images, how alike, how long it waits; "Review" opens it. */
import { useId } from 'react';
import type { ReviewFieldsFragment } from '../../generated/graphql.ts';
import { displayName, formatDateTime, formatRelative } from '../format.ts';
import { ReviewImage } from './ReviewImage.tsx';
import { CHECK_NAMES, checksToLookAt } from './DocumentReading.tsx';
import type { Thresholds } from './thresholds.ts';

export interface ReviewItemProps {
  session: ReviewFieldsFragment;
  thresholds: Thresholds;
  onRefresh(): void;
  onOpen(): void;
}

export function ReviewItem({ session, thresholds, onRefresh, onOpen }: ReviewItemProps) {
  const titleId = useId();
  const person = displayName(session);
  const similarity = session.similarity === null ? undefined : Math.round(session.similarity * 10) / 10;
  const band = similarity === undefined ? 'unknown' : similarity >= thresholds.accept ? 'accept' : similarity >= thresholds.review ? 'review' : 'reject';
  return (
    <article className="admin-review-item" aria-labelledby={titleId}>
      <div className="admin-review-thumbs">
        <ReviewImage size="thumb" url={session.idDocumentUrl} kind="ID_DOCUMENT" person={person} onExpired={onRefresh} />
        <ReviewImage size="thumb" url={session.selfieUrl} kind="SELFIE" person={person} onExpired={onRefresh} />
      </div>
      <div className="admin-review-summary">
        <h3 id={titleId}>{person}</h3>
        {session.name && <p className="admin-muted">{session.email}</p>}
        <p>
          Similarity{' '}
          <strong className={`admin-score admin-score-${band}`}>{similarity ?? 'not measured'}</strong>
          {similarity !== undefined && <span className="admin-muted"> / 100</span>}
        </p>
        {checksToLookAt(session.document).length > 0 && (
          <p className="admin-check-summary">ID: {checksToLookAt(session.document).map((c) => `${CHECK_NAMES[c.check].toLowerCase()} ${c.outcome === 'FAIL' ? 'failed' : 'not checked'}`).join('; ')}</p>
        )}
        <p className="admin-muted">
          Started {formatDateTime(session.createdAt)} · expires {formatRelative(session.expiresAt)}
        </p>
      </div>
      <button type="button" className="button button-primary admin-review-open" onClick={onOpen}>
        Review <span className="visually-hidden">{person}</span>
      </button>
    </article>
  );
}
