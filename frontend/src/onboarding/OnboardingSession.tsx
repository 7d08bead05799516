/**
 * An onboarding session after it started: progress while the photos upload and the faces are
 * compared, then each state with what to do next (docs/verification.md, "States").
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { CancelButton } from './CancelButton.tsx';
import { ReviewWait } from './ReviewWait.tsx';
import { Link } from '../app/router.tsx';
import { AttemptsLeft, FlowProgress, ProblemNotice, useWaitLeft } from '../identity/FlowNotices.tsx';
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
  if (step !== 'idle' && step !== 'canceling') {
    return (
      <Panel title={step === 'checking' ? 'Checking your photos' : 'Sending your photos'}>
        <FlowProgress step={step} progress={flow.progress} />
      </Panel>
    );
  }
  if (!verification) return null;
  const cancel = <CancelButton flow={flow} />;

  switch (verification.state) {
    case 'REQUIRES_INPUT':
      if (problem?.retry === 'upload' || problem?.retry === 'submit') {
        return (
          <Panel title="Your photos were not checked yet" actions={cancel}>
            <ProblemNotice problem={problem} onRetry={() => void flow.tryAgain()} />
            {(problem.type === 'UploadError' || problem.type === 'ServiceUnavailable') && <p>No attempt was counted.</p>}
          </Panel>
        );
      }
      return (
        <Panel title="We need a new photo">
          {problem ? <ProblemNotice problem={problem} /> : <p className="id-reason">{verification.reason}</p>}
          <p className="id-attempts">
            <AttemptsLeft count={verification.attemptsLeft} />
            {problem?.type === 'InvalidImage' && ' A photo that could not be used does not count.'}
          </p>
          <RetakeForm
            purposes={['ID_DOCUMENT', 'SELFIE']}
            required={problem?.retake.length ? problem.retake : ['SELFIE']}
            onSubmit={(photos) => void flow.retake(photos)}
            disabled={waitLeft > 0}
            secondaryAction={cancel}
          />
        </Panel>
      );
    case 'PROCESSING':
      return (
        <Panel title="Checking your photos">
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
          <p>Your account is active. From now on you sign in with your email and a selfie.</p>
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
            Your photos were deleted. You can start again with a clearer photo of your ID and a new selfie; if it is too soon, the page
            tells you how long to wait.
          </p>
        </Panel>
      );
    case 'EXPIRED':
      return (
        <Panel title="This verification expired" actions={<StartAgain onClick={onStartAgain} />}>
          <p className="id-reason">{verification.reason ?? 'It was not finished in time; its photos were deleted.'}</p>
        </Panel>
      );
    case 'CANCELED':
      return (
        <Panel title="Verification canceled" actions={<StartAgain onClick={onStartAgain} />}>
          <p>Your photos were deleted. Nothing else was kept but a record that a verification was started and canceled.</p>
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
