/**
 * The camera as a hook: asks for it while `active`, hands the stream to a `<video>`, and always
 * lets it go (the light goes off) when no longer needed. Failures become a status a person can
 * act on: refused, missing, busy, or not possible in this browser.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

export type CameraStatus = 'off' | 'starting' | 'live' | 'denied' | 'missing' | 'busy' | 'unsupported';

/** Which camera suits the picture: the front one for a selfie, the back one for a card. */
export type Facing = 'user' | 'environment';

export interface Camera {
  status: CameraStatus;
  /** Attach to the `<video>` that shows the camera. */
  videoRef: RefObject<HTMLVideoElement | null>;
  /** Asks again (after the person changed the browser's permission, or plugged a camera in). */
  retry(): void;
}

/** Maps getUserMedia's DOMException names to what the person sees. */
export function cameraFailure(error: unknown): CameraStatus {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'missing';
  return 'busy';
}

/** The camera while `active` (the `facing` one if there is a choice), released when not. */
export function useCamera(active: boolean, facing: Facing): Camera {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [status, setStatus] = useState<CameraStatus>('off');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!active) {
      setStatus('off');
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      // Browsers offer the camera only to https pages (and localhost).
      setStatus('unsupported');
      return;
    }
    let stream: MediaStream | undefined;
    let stopped = false;
    setStatus('starting');
    // `ideal` never fails: any camera will do, the preferred one if there is a choice.
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: facing } }, audio: false }).then(
      async (granted) => {
        stream = granted;
        if (stopped) return stopTracks(granted);
        // Unplugged, or taken away by the system: say so rather than show a frozen frame.
        granted.getVideoTracks().forEach((track) => track.addEventListener('ended', () => !stopped && setStatus('missing')));
        const video = videoRef.current;
        if (video) {
          video.srcObject = granted;
          await video.play().catch(() => undefined);
        }
        setStatus('live');
      },
      (error: unknown) => {
        if (!stopped) setStatus(cameraFailure(error));
      },
    );
    return () => {
      stopped = true;
      if (stream) stopTracks(stream);
      if (videoRef.current) videoRef.current.srcObject = null;
    };
  }, [active, facing, attempt]);

  return { status, videoRef, retry: () => setAttempt((n) => n + 1) };
}

function stopTracks(stream: MediaStream) {
  stream.getTracks().forEach((track) => track.stop());
}
