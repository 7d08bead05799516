/**
 * What went wrong in a liveness check, in words a person can act on. Amplify's
 * FaceLivenessDetectorCore reports a failure as one of its error states (`onError`); each becomes
 * a Problem whose next step is a new liveness check. Nothing here imports the component, so the
 * screens keep these words without loading it.
 */
import type { Problem } from '../problems.ts';

/** FaceLivenessDetectorCore's error states (its `LivenessErrorState`), as it reports them. */
export type LivenessErrorState =
  | 'CONNECTION_TIMEOUT'
  | 'TIMEOUT'
  | 'RUNTIME_ERROR'
  | 'SERVER_ERROR'
  | 'CAMERA_FRAMERATE_ERROR'
  | 'CAMERA_ACCESS_ERROR'
  | 'FACE_DISTANCE_ERROR'
  | 'MOBILE_LANDSCAPE_ERROR'
  | 'MULTIPLE_FACES_ERROR'
  | 'DEFAULT_CAMERA_NOT_FOUND_ERROR';

/** What each error state tells the person: what happened, then what to do. */
export const LIVENESS_ERRORS: Record<LivenessErrorState, string> = {
  TIMEOUT:
    'Your face did not fill the oval in time. Move closer so that your face fills the oval, keep still once it does, and try again.',
  FACE_DISTANCE_ERROR:
    'You were too close to the camera when the check started. Move back until your whole face is well inside the frame, then try again and move closer only when the oval appears.',
  MULTIPLE_FACES_ERROR: 'More than one face was in front of the camera. Only one face: make sure you are alone in the picture, then try again.',
  CAMERA_ACCESS_ERROR:
    'The camera could not be used. Allow this site to use your camera (the camera icon in the address bar), close other apps that use it, then try again.',
  DEFAULT_CAMERA_NOT_FOUND_ERROR: 'No camera was found. Connect a camera (or use a phone or laptop that has one), then try again.',
  CAMERA_FRAMERATE_ERROR:
    'Your camera sends too few pictures per second for the check. Close other apps that use the camera, try again in better light, or use another camera.',
  MOBILE_LANDSCAPE_ERROR: 'The check needs your phone upright. Turn it to portrait, then try again.',
  CONNECTION_TIMEOUT: 'The connection to the liveness service was too slow. Check your internet connection, then try again.',
  SERVER_ERROR:
    'The liveness service could not check the video. Try again in better, even light, alone in front of the camera and following the oval.',
  RUNTIME_ERROR: 'Something went wrong in this browser while running the check. Reload the page and try again.',
};

/** Where the browser streams to on a local install: a refused stream there is usually an untrusted certificate. */
const LOCAL_CERTIFICATE_HINT =
  ' On a local install (npm start), your browser must trust the local certificate that npm start names: import it as a trusted certificate, then reload.';

/** The Problem of a failed liveness check; `local` adds the hint a developer needs when the stream is refused. */
export function livenessProblem(error: { state?: string; error?: unknown }, { local = false } = {}): Problem {
  const state = error.state as LivenessErrorState | undefined;
  const known = state && state in LIVENESS_ERRORS ? LIVENESS_ERRORS[state] : undefined;
  let message = known ?? 'The liveness check stopped before it finished. Try again.';
  if (local && (state === 'CONNECTION_TIMEOUT' || state === 'SERVER_ERROR' || state === 'RUNTIME_ERROR')) message += LOCAL_CERTIFICATE_HINT;
  return { type: 'LivenessError', message, retake: [], retry: 'liveness', livenessState: state };
}
