/**
 * A new photo of the ID for a session that asked for one (REQUIRES_INPUT because of the ID: no
 * face on it, a document check that failed). Sending asks for a fresh upload URL, so it works
 * however long the person took; a new liveness check follows, since every decision needs one.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { PreparedImage } from './images.ts';
import { IdDocumentInput } from './IdDocumentInput.tsx';
import type { Photos } from './useVerificationFlow.ts';

export interface RetakeFormProps {
  onSubmit(photos: Photos): void;
  /** While rate limited: the button waits. */
  disabled?: boolean;
  submitLabel?: string;
  /** Another way out, beside the submit button (Cancel verification, Start over). */
  secondaryAction?: ReactNode;
}

/** A new ID photo for the open session, sent with "Send and check again". */
export function RetakeForm({ onSubmit, disabled = false, submitLabel = 'Send and check again', secondaryAction }: RetakeFormProps) {
  const [photo, setPhoto] = useState<PreparedImage | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!photo) return setError('Add a new photo of your ID first.');
    onSubmit({ ID_DOCUMENT: photo });
  };

  return (
    <form className="id-retake" noValidate onSubmit={submit}>
      <section aria-label="New photo of your ID">
        <h3>New photo of your ID</h3>
        <IdDocumentInput
          value={photo}
          onChange={(image) => {
            setError(null);
            setPhoto(image);
          }}
        />
      </section>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="onb-actions">
        {secondaryAction}
        <button type="submit" className="button button-primary" disabled={disabled}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
