/**
 * Takes a photo with the camera: the live picture with a framing guide (an oval for a face, a
 * card outline for an ID), a capture button, then the photo taken with a Retake button. The
 * camera runs only while there is no photo, so its light goes off as soon as the shot is taken.
 */
import { useId, useState } from 'react';
import { captureFrame, ImageError, type PreparedImage } from './images.ts';
import { PhotoPreview } from './PhotoPreview.tsx';
import { useCamera, type CameraStatus } from './useCamera.ts';
import '../onboarding/onboarding.css';

export interface CameraCaptureProps {
  /** `face`: oval guide, front camera, mirrored like a mirror; `card`: card guide, back camera. */
  guide: 'face' | 'card';
  /** The photo taken, if any. */
  value: PreparedImage | null;
  onChange(image: PreparedImage | null): void;
  /** Button names: "Take selfie" / "Retake selfie"; the preview's alt text. */
  captureLabel: string;
  retakeLabel: string;
  previewAlt: string;
  /** Shown under the camera: how to frame the shot. */
  hint: string;
  /** Turns the camera off while something else happens (an upload). */
  disabled?: boolean;
}

const FAILURES: Record<Exclude<CameraStatus, 'off' | 'starting' | 'live'>, { title: string; help: string }> = {
  denied: {
    title: 'Camera access is blocked',
    help: "Allow the camera for this site (the camera icon in your browser's address bar, or the site settings), then choose Try the camera again.",
  },
  missing: {
    title: 'No camera found',
    help: 'Connect a camera, or open this page on a phone or laptop that has one, then choose Try the camera again.',
  },
  busy: {
    title: 'The camera could not start',
    help: 'Another app or tab may be using it. Close it, then choose Try the camera again.',
  },
  unsupported: {
    title: 'This browser cannot use the camera here',
    help: 'Open SecureTask over https in an up-to-date browser (Chrome, Edge, Firefox or Safari).',
  },
};

/** A photo by camera with a framing guide, then its preview and a retake button. */
export function CameraCapture({
  guide,
  value,
  onChange,
  captureLabel,
  retakeLabel,
  previewAlt,
  hint,
  disabled = false,
}: CameraCaptureProps) {
  const camera = useCamera(!value && !disabled, guide === 'face' ? 'user' : 'environment');
  const [error, setError] = useState<string | null>(null);

  if (value) {
    return (
      <div className="id-capture">
        <PhotoPreview image={value} alt={previewAlt} mirrored={guide === 'face'} />
        <div className="id-capture-actions">
          <button type="button" className="button" onClick={() => onChange(null)} disabled={disabled}>
            {retakeLabel}
          </button>
        </div>
      </div>
    );
  }

  const take = async () => {
    setError(null);
    try {
      if (camera.videoRef.current) onChange(await captureFrame(camera.videoRef.current));
    } catch (cause) {
      setError(cause instanceof ImageError ? cause.message : 'The photo could not be taken. Try again.');
    }
  };
  const failure = camera.status in FAILURES ? FAILURES[camera.status as keyof typeof FAILURES] : null;

  return (
    <div className="id-capture">
      <div className={`id-camera id-camera-${guide}${camera.status === 'live' ? ' id-camera-live' : ''}`} hidden={!!failure}>
        <video ref={camera.videoRef} className="id-camera-video" aria-label="Camera preview" muted playsInline autoPlay />
        <FramingGuide guide={guide} />
        {camera.status === 'starting' && (
          <p className="id-camera-starting" role="status">
            Starting the camera… your browser may ask for permission.
          </p>
        )}
      </div>
      {failure ? (
        <div className="id-camera-failure" role="alert">
          <strong>{failure.title}.</strong> {failure.help}
          {camera.status !== 'unsupported' && (
            <div>
              <button type="button" className="button" onClick={camera.retry}>
                Try the camera again
              </button>
            </div>
          )}
        </div>
      ) : (
        <>
          <p className="id-capture-hint">{hint}</p>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="id-capture-actions">
            <button type="button" className="button button-primary" onClick={take} disabled={disabled || camera.status !== 'live'}>
              <span aria-hidden="true">●</span> {captureLabel}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** Dims everything but the place the face (or the card) should be. */
function FramingGuide({ guide }: { guide: 'face' | 'card' }) {
  const maskId = useId();
  // The box is 4:3 and the SVG stretches to it: in its units an oval 17 wide and 32 tall is a
  // face's 1:1.4, and a card 80 wide and 67 tall is an ID card's 85.6:54.
  const hole = guide === 'face' ? <ellipse cx="50" cy="47" rx="17" ry="32" /> : <rect x="10" y="16.5" width="80" height="67" rx="3" />;
  return (
    <svg className="id-guide" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
      <defs>
        <mask id={maskId}>
          <rect width="100" height="100" fill="white" />
          <g fill="black">{hole}</g>
        </mask>
      </defs>
      <rect width="100" height="100" className="id-guide-shade" mask={`url(#${maskId})`} />
      <g className="id-guide-outline">{hole}</g>
    </svg>
  );
}
