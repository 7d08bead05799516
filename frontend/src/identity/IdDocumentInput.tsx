/**
 * The photo of an ID document, from a file (a scan, a photo already on the phone) or taken with
 * the camera. Either way it ends as a {@link PreparedImage} the API accepts.
 */
import { useId, useState } from 'react';
import { CameraCapture } from './CameraCapture.tsx';
import { ImageError, prepareImageFile, type PreparedImage } from './images.ts';
import { PhotoPreview } from './PhotoPreview.tsx';
import { Field } from '../ui/Field.tsx';

export interface IdDocumentInputProps {
  value: PreparedImage | null;
  onChange(image: PreparedImage | null): void;
  /** A problem to show with the control (required, or refused by the API). */
  error?: string;
  disabled?: boolean;
}

type Source = 'file' | 'camera';

/** The ID photo: "Upload a photo" (a file) or "Use the camera", then its preview. */
export function IdDocumentInput({ value, onChange, error, disabled = false }: IdDocumentInputProps) {
  const [source, setSource] = useState<Source>('file');
  const name = useId();
  return (
    <div className="id-document">
      <fieldset className="id-source" disabled={disabled}>
        <legend>How do you want to add it?</legend>
        {(['file', 'camera'] as const).map((option) => (
          <label key={option} className={`id-source-option${source === option ? ' id-source-selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={option}
              checked={source === option}
              onChange={() => {
                setSource(option);
                onChange(null);
              }}
            />
            {option === 'file' ? 'Upload a photo' : 'Use the camera'}
          </label>
        ))}
      </fieldset>
      {source === 'file' ? (
        <FileChooser value={value} onChange={onChange} error={error} disabled={disabled} />
      ) : (
        <>
          <CameraCapture
            guide="card"
            value={value}
            onChange={onChange}
            captureLabel="Take photo of ID"
            retakeLabel="Retake photo of ID"
            previewAlt="Your ID photo"
            hint="Hold the card flat inside the frame, photo side up, so the text is sharp and there is no glare."
            disabled={disabled}
          />
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </div>
  );
}

function FileChooser({ value, onChange, error, disabled }: IdDocumentInputProps) {
  const [preparing, setPreparing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  if (value) {
    return (
      <div className="id-capture">
        <PhotoPreview image={value} alt="Your ID photo" />
        <div className="id-capture-actions">
          <button type="button" className="button" onClick={() => onChange(null)} disabled={disabled}>
            Choose another photo
          </button>
        </div>
      </div>
    );
  }

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    setPreparing(true);
    try {
      onChange(await prepareImageFile(file));
    } catch (cause) {
      setProblem(cause instanceof ImageError ? cause.message : 'This photo cannot be used. Choose another one.');
    } finally {
      setPreparing(false);
    }
  };

  return (
    <Field
      label="Photo of your ID"
      hint="A passport, identity card or driving licence with your photo. JPEG or PNG; large photos are made smaller for you."
      error={problem ?? error}
    >
      {(control) => (
        <>
          <input
            {...control}
            type="file"
            className="id-file-input"
            accept="image/jpeg,image/png,image/webp"
            disabled={disabled || preparing}
            onChange={(event) => void choose(event.target.files?.[0])}
          />
          {preparing && (
            <span className="id-preparing" role="status">
              Preparing the photo…
            </span>
          )}
        </>
      )}
    </Field>
  );
}
