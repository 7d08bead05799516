/**
 * What the liveness check kept for the reviewer: its confidence (0-100, against the policy's
 * liveness threshold) and the audit frames Rekognition took from the video, beside the reference
 * image shown large. A reviewer who sees a printed photo, a screen or a second person in these
 * frames rejects, whatever the faces' similarity.
 */
import { useId } from 'react';
import type { ReviewFieldsFragment } from '../../generated/graphql.ts';
import { useConfig } from '../../app/config-context.ts';
import { ReviewImage } from './ReviewImage.tsx';

export interface LivenessEvidenceProps {
  session: ReviewFieldsFragment;
  person: string;
  refreshing: boolean;
  onRefresh(): void;
}

export function LivenessEvidence({ session, person, refreshing, onRefresh }: LivenessEvidenceProps) {
  const headingId = useId();
  const threshold = useConfig().verification.livenessThreshold;
  const confidence = session.livenessConfidence === null || session.livenessConfidence === undefined ? undefined : Math.round(session.livenessConfidence * 10) / 10;
  return (
    <section className="admin-liveness" aria-labelledby={headingId}>
      <h3 id={headingId} className="admin-subheading">
        Liveness check
      </h3>
      <p>
        Confidence <strong>{confidence ?? 'not recorded'}</strong>
        {confidence !== undefined && <span className="admin-muted"> / 100{threshold !== undefined && ` (live at ${threshold} or more)`}</span>}
      </p>
      {session.auditImageUrls.length > 0 ? (
        <div className="admin-review-thumbs admin-liveness-frames">
          {session.auditImageUrls.map((url, i) => (
            <ReviewImage key={i} size="thumb" url={url} kind="AUDIT" number={i + 1} person={person} refreshing={refreshing} onExpired={onRefresh} />
          ))}
        </div>
      ) : (
        <p className="admin-muted">No frames were kept from the video.</p>
      )}
    </section>
  );
}
