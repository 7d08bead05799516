/**
 * New photos for a session that asked for them (REQUIRES_INPUT): the one the reason is about is
 * open at once; the other (onboarding's ID photo, say) can be retaken too. Sending asks for
 * fresh upload URLs, so it works however long the person took.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import type { UploadPurpose } from './api.ts';
import { CameraCapture } from './CameraCapture.tsx';
import type { PreparedImage } from './images.ts';
import { IdDocumentInput } from './IdDocumentInput.tsx';
import type { Photos } from './useVerificationFlow.ts';

export interface RetakeFormProps {
  /** The photos this kind of session has (face sign-in: the selfie only). */
  purposes: UploadPurpose[];
  /** The photos that must be new (the reason is about them). */
  required: UploadPurpose[];
  onSubmit(photos: Photos): void;
  /** While rate limited: the button waits. */
  disabled?: boolean;
  submitLabel?: string;
  /** Another way out, beside the submit button (Cancel verification, Start over). */
  secondaryAction?: ReactNode;
}

const TITLES: Record<UploadPurpose, { section: string; more: string; missing: string }> = {
  SELFIE: { section: 'New selfie', more: 'Retake the selfie too', missing: 'Take a new selfie first.' },
  ID_DOCUMENT: { section: 'New photo of your ID', more: 'Retake the ID photo too', missing: 'Add a new photo of your ID first.' },
};

/** New photos for the open session, sent with "Check again". */
export function RetakeForm({
  purposes,
  required,
  onSubmit,
  disabled = false,
  submitLabel = 'Check again',
  secondaryAction,
}: RetakeFormProps) {
  const [photos, setPhotos] = useState<Photos>({});
  const [open, setOpen] = useState<UploadPurpose[]>(required.length ? required : ['SELFIE']);
  const [error, setError] = useState<string | null>(null);

  const set = (purpose: UploadPurpose) => (image: PreparedImage | null) => {
    setError(null);
    setPhotos((current) => {
      const next = { ...current };
      if (image) next[purpose] = image;
      else delete next[purpose];
      return next;
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing = open.find((purpose) => !photos[purpose]);
    if (missing) return setError(TITLES[missing].missing);
    onSubmit(photos);
  };

  // The photos to retake first, in a steady order; then the offers to retake the others.
  const shown = purposes.filter((purpose) => open.includes(purpose));
  const offered = purposes.filter((purpose) => !open.includes(purpose));
  return (
    <form className="id-retake" noValidate onSubmit={submit}>
      {shown.map((purpose) => (
        <section key={purpose} aria-label={TITLES[purpose].section}>
          <h3>{TITLES[purpose].section}</h3>
          {purpose === 'SELFIE' ? (
            <CameraCapture
              guide="face"
              value={photos.SELFIE ?? null}
              onChange={set('SELFIE')}
              captureLabel="Take selfie"
              retakeLabel="Retake selfie"
              previewAlt="Your new selfie"
              hint="Face a window or a lamp, put your face inside the oval and look straight at the camera."
            />
          ) : (
            <IdDocumentInput value={photos.ID_DOCUMENT ?? null} onChange={set('ID_DOCUMENT')} />
          )}
        </section>
      ))}
      {offered.map((purpose) => (
        <p key={purpose}>
          <button type="button" className="button button-link" onClick={() => setOpen([...open, purpose])}>
            {TITLES[purpose].more}
          </button>
        </p>
      ))}
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
