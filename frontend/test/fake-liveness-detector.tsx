/**
 * What the identity tests render in place of Amplify's FaceLivenessDetectorCore, which needs a
 * camera, WebAssembly and a WebSocket that jsdom has not (the browser scenarios run the real one:
 * test/browser/identity.e2e.ts). It shows the check it was given and offers what the component
 * can report: the analysis finished, or one of its error states.
 */
import type { LivenessDetectorProps } from '../src/identity/liveness/LivenessDetector.tsx';
import { livenessProblem } from '../src/identity/liveness/liveness-problems.ts';

export default function FakeLivenessDetector({ check, onDone, onFailed }: LivenessDetectorProps) {
  return (
    <div role="group" aria-label="Liveness check">
      <p>Liveness session {check.sessionId}</p>
      <button type="button" onClick={onDone}>
        Finish the check
      </button>
      {(['MULTIPLE_FACES_ERROR', 'TIMEOUT', 'CAMERA_ACCESS_ERROR'] as const).map((state) => (
        <button key={state} type="button" onClick={() => onFailed(livenessProblem({ state }))}>
          Fail with {state}
        </button>
      ))}
    </div>
  );
}
