/**
 * Deciding one session: both images large and side by side (the ID photo and the liveness
 * check's reference image), the liveness check's confidence and audit frames, the similarity
 * against the policy, and approve or reject with a note (required: it is the audit log's record of why).
 * The API's refusals (one's own session, already reviewed, expired) are shown as it words them.
 */
import { useMutation } from '@apollo/client/react';
import { useRef, useState } from 'react';
import { ReviewVerificationDocument, type ReviewFieldsFragment } from '../../generated/graphql.ts';
import { apiError, type ApiError } from '../../data/errors.ts';
import { useSession } from '../../session/useSession.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { ErrorBanner } from '../../ui/feedback.tsx';
import { toast } from '../../ui/toasts.tsx';
import { displayName, formatDateTime, formatRelative } from '../format.ts';
import { ReviewImage } from './ReviewImage.tsx';
import { SimilarityMeter } from './SimilarityMeter.tsx';
import { DocumentReading } from './DocumentReading.tsx';
import { LivenessEvidence } from './LivenessEvidence.tsx';
import { useThresholds } from './thresholds.ts';

const NOTE_MAX = 1000;

export interface ReviewDialogProps {
  /** The session, or undefined once it left the queue (reviewed elsewhere, expired). */
  session: ReviewFieldsFragment | undefined;
  /** The name the dialog opened with, kept if the session leaves the queue meanwhile. */
  title: string;
  refreshing: boolean;
  onRefresh(): void;
  onClose(): void;
}

export function ReviewDialog({ session, title, refreshing, onRefresh, onClose }: ReviewDialogProps) {
  const me = useSession();
  const thresholds = useThresholds();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [review] = useMutation(ReviewVerificationDocument);

  const decide = async (approve: boolean) => {
    if (!session || deciding) return;
    const trimmed = note.trim();
    if (!trimmed) {
      setNoteError(`Write a note saying why you ${approve ? 'approve' : 'reject'}: it goes into the audit log.`);
      noteRef.current?.focus();
      return;
    }
    setNoteError(undefined);
    setError(undefined);
    setDeciding(approve ? 'approve' : 'reject');
    try {
      await review({ variables: { id: session.id, approve, note: trimmed } });
      const who = displayName(session);
      toast(approve ? `Approved ${who}: they can now sign in with their face.` : `Rejected ${who}: they are told by email.`, 'success');
      onClose();
    } catch (caught) {
      const failure = apiError(caught);
      setError(failure);
      // Reviewed by someone else, expired, gone: the queue is out of date.
      if (failure.type === 'ConflictError' || failure.type === 'NotFound') onRefresh();
    } finally {
      setDeciding(undefined);
    }
  };

  const busy = deciding !== undefined;
  const person = session ? displayName(session) : title;
  const own = session && me && session.email.toLowerCase() === me.email.toLowerCase();

  return (
    <Dialog
      open
      size="wide"
      title={`Review ${title}`}
      onClose={onClose}
      actions={
        session ? (
          <>
            {/* aria-disabled while busy, not disabled: the focus stays on the button. */}
            <button type="button" className="button" onClick={() => !busy && onClose()} aria-disabled={busy || undefined}>
              Cancel
            </button>
            <button type="button" className="button button-danger" onClick={() => decide(false)} aria-disabled={busy || undefined}>
              {deciding === 'reject' ? 'Rejecting…' : 'Reject'}
            </button>
            <button type="button" className="button button-primary admin-approve" onClick={() => decide(true)} aria-disabled={busy || undefined}>
              {deciding === 'approve' ? 'Approving…' : 'Approve'}
            </button>
          </>
        ) : (
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        )
      }
    >
      {error && <ErrorBanner error={error} />}
      {!session ? (
        <p role="status">This session is no longer waiting for review: another admin decided, or it expired.</p>
      ) : (
        <div className="admin-review">
          {own && (
            <p className="admin-warning" role="note">
              This is your own verification. Nobody may review their own: another admin has to decide it.
            </p>
          )}
          <div className="admin-review-images">
            <ReviewImage url={session.idDocumentUrl} kind="ID_DOCUMENT" person={person} refreshing={refreshing} onExpired={onRefresh} />
            <ReviewImage url={session.selfieUrl} kind="SELFIE" person={person} refreshing={refreshing} onExpired={onRefresh} />
          </div>
          <LivenessEvidence session={session} person={person} refreshing={refreshing} onRefresh={onRefresh} />
          <div className="admin-review-side">
            <dl className="admin-facts">
              <div>
                <dt>Name</dt>
                <dd>{session.name || '—'}</dd>
              </div>
              <div>
                <dt>Email</dt>
                <dd>{session.email}</dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{formatDateTime(session.createdAt)}</dd>
              </div>
              <div>
                <dt>Expires</dt>
                <dd>
                  {formatDateTime(session.expiresAt)} ({formatRelative(session.expiresAt)})
                </dd>
              </div>
            </dl>
            <h3 className="admin-subheading">Similarity</h3>
            <SimilarityMeter value={session.similarity} thresholds={thresholds} />
            <h3 className="admin-subheading">Read from the ID</h3>
            <DocumentReading reading={session.document} />
            <Field
              label="Note"
              hint="Required. Why you approve or reject: it is kept in the audit log. The person is told the outcome by email, not the note."
              error={noteError}
            >
              {(control) => (
                <textarea
                  {...control}
                  ref={noteRef}
                  value={note}
                  maxLength={NOTE_MAX}
                  aria-required="true"
                  disabled={busy}
                  onChange={(event) => {
                    setNote(event.target.value);
                    if (noteError && event.target.value.trim()) setNoteError(undefined);
                  }}
                />
              )}
            </Field>
          </div>
        </div>
      )}
    </Dialog>
  );
}
