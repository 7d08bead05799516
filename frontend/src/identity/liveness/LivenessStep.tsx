/**
 * The liveness check on screen: what the person is about to do, then Amplify's component, which
 * loads only now (React.lazy: TensorFlow.js and the streaming client stay out of every other
 * screen). While startLivenessCheck runs, a progress line holds its place.
 */
import { lazy, Suspense } from 'react';
import type { LivenessCheck } from '../api.ts';
import type { Problem } from '../problems.ts';
import '../../onboarding/onboarding.css';

const LivenessDetector = lazy(() => import('./LivenessDetector.tsx'));

export interface LivenessStepProps {
  /** The check to run; null while it is being started. */
  check: LivenessCheck | null;
  onDone(): void;
  onFailed(problem: Problem): void;
}

/** How the check goes, in the order the person meets it. */
export function LivenessInstructions() {
  return (
    <ul className="id-liveness-rules">
      <li>Be alone in front of the camera, in good, even light: face a window or a lamp. Take off sunglasses, a mask or a hat.</li>
      <li>Start with your whole face in the frame. When the oval appears, move closer until your face fills it, then hold still.</li>
      <li>The screen may flash a few colours while you hold still: keep looking at it. It takes a few seconds.</li>
    </ul>
  );
}

export function LivenessStep({ check, onDone, onFailed }: LivenessStepProps) {
  const preparing = (
    <div className="id-progress" role="status">
      <span className="spinner-dot" aria-hidden="true" />
      <div className="id-progress-body">
        <strong>Preparing the liveness check…</strong>
      </div>
    </div>
  );
  return (
    <div className="id-liveness">
      <LivenessInstructions />
      {check ? (
        <Suspense fallback={preparing}>
          {/* A new check is a new component: nothing of the last one's state carries over. */}
          <LivenessDetector key={check.sessionId} check={check} onDone={onDone} onFailed={onFailed} />
        </Suspense>
      ) : (
        preparing
      )}
    </div>
  );
}
