/**
 * An onboarding session after it started: progress while the ID photo uploads, the liveness check
 * (Amplify's component, loaded only now), progress while the result is read and the faces are
 * compared, then each state with what to do next (docs/verification.md, "States").
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { CancelButton } from './CancelButton.tsx';
import { ReviewWait } from './ReviewWait.tsx';
import { Link } from '../app/router.tsx';
import { AttemptsLeft, FlowProgress, NewLivenessCheckButton, ProblemNotice, useWaitLeft } from '../identity/FlowNotices.tsx';
import { LivenessStep } from '../identity/liveness/LivenessStep.tsx';
import { reasonIsAboutTheId } from '../identity/problems.ts';
import { RetakeForm } from '../identity/RetakeForm.tsx';
import type { VerificationFlow } from '../identity/useVerificationFlow.ts';

export interface OnboardingSessionProps {
  flow: VerificationFlow;
  /** Back to the form for a new session (after FAILED, EXPIRED, CANCELED). */
  onStartAgain(): void;
  /** Remembers the email for the face sign-in that follows an approval. */
  onSignInNext(): void;
}

/** The session's current state (or progress), each with its next step. */
export function OnboardingSession({ flow, onStartAgain, onSignInNext }: OnboardingSessionProps) {
  const { verification, problem, step } = flow;
  const waitLeft = useWaitLeft(problem);
  const cancel = <CancelButton flow={flow} />;
  if (step === 'liveness') {
    return (
      <Panel title="Show your face" actions={verification && cancel}>
        <LivenessStep check={flow.check} onDone={() => void flow.livenessDone()} onFailed={flow.livenessFailed} />
      </Panel>
    );
  }
  if (step !== 'idle' && step !== 'canceling') {
    return (
      <Panel title={step === 'checking' ? 'Checking your liveness check' : step === 'uploading' ? 'Sending your ID photo' : 'Starting'}>
        <FlowProgress step={step} progress={flow.progress} />
      </Panel>
    );
  }
  if (!verification) return null;

  switch (verification.state) {
    case 'REQUIRES_INPUT':
      if (problem?.retry === 'upload' || problem?.retry === 'submit') {
        return (
          <Panel title="Not checked yet" actions={cancel}>
            <ProblemNotice problem={problem} onRetry={() => void flow.tryAgain()} />
            {(problem.type === 'UploadError' || problem.type === 'ServiceUnavailable') && <p>No attempt was counted.</p>}
          </Panel>
        );
      }
      // The ID is the problem (no face on it, a document check): a new photo of it, then a new check.
      if (problem?.retake.includes('ID_DOCUMENT') || (!problem && reasonIsAboutTheId(verification.reason))) {
        return (
          <Panel title="We need a new photo of your ID">
            {problem ? <ProblemNotice problem={problem} /> : <p className="id-reason">{verification.reason}</p>}
            <p className="id-attempts">
              <AttemptsLeft count={verification.attemptsLeft} />
              {problem?.type === 'InvalidImage' && ' A photo that could not be used does not count.'}
            </p>
            <RetakeForm onSubmit={(photos) => void flow.retake(photos)} disabled={waitLeft > 0} secondaryAction={cancel} />
            <p>
              Or keep this ID photo: <button type="button" className="button button-link" onClick={() => void flow.startLiveness()} disabled={waitLeft > 0}>start a new liveness check</button>
            </p>
          </Panel>
        );
      }
      return (
        <Panel title={problem?.type === 'LivenessError' ? 'The liveness check stopped' : 'We need a new liveness check'} actions={cancel}>
          {problem ? <ProblemNotice problem={problem} /> : <p className="id-reason">{verification.reason}</p>}
          <p className="id-attempts">
            <AttemptsLeft count={verification.attemptsLeft} />
            {problem?.type === 'InvalidImage' && ' An image that could not be used does not count.'}
            {problem?.type === 'LivenessError' && ' A check that stopped in the browser does not count.'}
          </p>
          <div className="onb-actions">
            <NewLivenessCheckButton onClick={() => void flow.startLiveness()} disabled={waitLeft > 0} />
          </div>
        </Panel>
      );
    case 'PROCESSING':
      return (
        <Panel title="Checking your liveness check">
          <FlowProgress step="checking" progress={1} />
        </Panel>
      );
    case 'NEEDS_REVIEW':
      return (
        <Panel title="Waiting for a review" actions={cancel}>
          {problem && <ProblemNotice problem={problem} />}
          <ReviewWait verification={verification} />
        </Panel>
      );
    case 'VERIFIED':
      if (flow.signedIn) {
        return (
          <Panel title="You're verified">
            <p role="status">Opening your board…</p>
          </Panel>
        );
      }
      // Approved by an admin, or learned from a poll: the token was never this page's, so the
      // person signs in with their face.
      return (
        <Panel title="You're verified">
          <p className="id-reason">{verification.reason ?? 'Your identity is confirmed.'}</p>
          <p>Your account is active. From now on you sign in with your email and a liveness check.</p>
          <p>
            <Link to="/sign-in" className="button button-primary" onClick={onSignInNext}>
              Sign in with your face
            </Link>
          </p>
        </Panel>
      );
    case 'FAILED':
      return (
        <Panel title="We could not verify you" actions={<StartAgain onClick={onStartAgain} />}>
          {problem ? <ProblemNotice problem={problem} /> : <p className="id-reason">{verification.reason}</p>}
          <p>
            Your images were deleted. You can start again with a clearer photo of your ID and a new liveness check; if it is too soon,
            the page tells you how long to wait.
          </p>
        </Panel>
      );
    case 'EXPIRED':
      return (
        <Panel title="This verification expired" actions={<StartAgain onClick={onStartAgain} />}>
          <p className="id-reason">{verification.reason ?? 'It was not finished in time; its images were deleted.'}</p>
        </Panel>
      );
    case 'CANCELED':
      return (
        <Panel title="Verification canceled" actions={<StartAgain onClick={onStartAgain} />}>
          <p>Your images were deleted. Nothing else was kept but a record that a verification was started and canceled.</p>
        </Panel>
      );
  }
}

function StartAgain({ onClick }: { onClick(): void }) {
  return (
    <button type="button" className="button button-primary" onClick={onClick}>
      Start again
    </button>
  );
}

/** One state: its heading (focused when it appears, so the change is announced) and next steps. */
function Panel({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <section className="onb-card" aria-labelledby={id}>
      <h2 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
      {actions && <div className="onb-actions onb-actions-end">{actions}</div>}
    </section>
  );
}
