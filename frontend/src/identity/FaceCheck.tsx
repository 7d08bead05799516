/**
 * A face sign-in from start to token: the email (unless it is known), startFaceLogin, a liveness
 * check (Amplify's component, loaded only now), then the decision, with every state's next step.
 * The sign-in page and the session renewal dialog both use it. The face comes only from a liveness
 * check bound to the session: anyone holding a photo of the person could otherwise sign in as them.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { startFaceLogin } from './api.ts';
import { AttemptsLeft, FlowProgress, NewLivenessCheckButton, ProblemNotice, useWaitLeft } from './FlowNotices.tsx';
import { LivenessInstructions, LivenessStep } from './liveness/LivenessStep.tsx';
import { useVerificationFlow } from './useVerificationFlow.ts';
import { emailProblem } from './validation.ts';
import { Field } from '../ui/Field.tsx';
import '../onboarding/onboarding.css';

export interface FaceCheckProps {
  /** The email to sign in as; with `onEmailChange` the person types it. */
  email: string;
  onEmailChange?(email: string): void;
  /** The session token of a VERIFIED answer. */
  onVerified(token: string): void;
  /** The first button: "Sign in", "Confirm it's me". */
  submitLabel: string;
  /** Level of the state headings (2 on a page, 3 inside a dialog). */
  headingLevel?: 2 | 3;
}

/** Email and a liveness check to a session token, with every state of a face sign-in. */
export function FaceCheck({ email, onEmailChange, onVerified, submitLabel, headingLevel = 2 }: FaceCheckProps) {
  const flow = useVerificationFlow({ onVerified: (token) => onVerified(token) });
  const [emailError, setEmailError] = useState<string | undefined>();
  const waitLeft = useWaitLeft(flow.problem);
  const { verification, problem, step } = flow;

  const startOver = async () => {
    if (verification?.state === 'REQUIRES_INPUT') await flow.cancel();
    flow.reset();
  };
  const over = (
    <button type="button" className="button" onClick={() => void startOver()}>
      Start over
    </button>
  );

  if (step === 'liveness') {
    return (
      <State level={headingLevel} title="Show your face" actions={over}>
        <LivenessStep check={flow.check} onDone={() => void flow.livenessDone()} onFailed={flow.livenessFailed} />
      </State>
    );
  }
  if (step !== 'idle' && step !== 'canceling') return <FlowProgress step={step} progress={flow.progress} />;

  if (verification) {
    switch (verification.state) {
      case 'REQUIRES_INPUT': {
        const transient = problem?.retry === 'submit';
        return (
          <State level={headingLevel} title={problem?.type === 'LivenessError' ? 'The liveness check stopped' : 'Try again with a new liveness check'} actions={over}>
            {problem ? (
              <ProblemNotice problem={problem} onRetry={() => void flow.tryAgain()} />
            ) : (
              <p className="id-reason">{verification.reason}</p>
            )}
            <p className="id-attempts">
              <AttemptsLeft count={verification.attemptsLeft} />
              {problem?.type === 'LivenessError' && ' A check that stopped in the browser does not count.'} If the email is wrong, choose Start over.
            </p>
            {!transient && (
              <div className="onb-actions">
                <NewLivenessCheckButton onClick={() => void flow.startLiveness()} disabled={waitLeft > 0} />
              </div>
            )}
          </State>
        );
      }
      case 'PROCESSING':
        return <FlowProgress step="checking" progress={1} />;
      case 'VERIFIED':
        if (flow.signedIn) return <p role="status">Signed in.</p>;
        // Only a poll says VERIFIED without a token (the answer went to another request).
        return (
          <State level={headingLevel} title="Sign in again" actions={over}>
            <p>Your face was recognised, but this page did not receive the session. Start over to sign in.</p>
          </State>
        );
      default:
        return (
          <State
            level={headingLevel}
            title={
              verification.state === 'FAILED'
                ? 'Sign-in failed'
                : verification.state === 'EXPIRED'
                ? 'This sign-in expired'
                : 'Sign-in canceled'
            }
            actions={over}
          >
            {problem ? <ProblemNotice problem={problem} /> : verification.reason && <p className="id-reason">{verification.reason}</p>}
          </State>
        );
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = emailProblem(email);
    setEmailError(found);
    if (found) return;
    void flow.begin((client) => startFaceLogin(client, email.trim()), {});
  };
  const shownEmailError = emailError ?? (problem?.field === 'email' ? problem.message : undefined);

  return (
    <form noValidate onSubmit={submit}>
      {onEmailChange && (
        <Field label="Email" error={shownEmailError}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="email"
              inputMode="email"
              spellCheck={false}
              value={email}
              onChange={(event) => {
                onEmailChange(event.target.value);
                setEmailError(undefined);
              }}
            />
          )}
        </Field>
      )}
      <p>A short liveness check with your camera shows it is you, live: no photo is uploaded.</p>
      <LivenessInstructions />
      {problem && !(problem.field === 'email' && onEmailChange) && <ProblemNotice problem={problem} />}
      <div className="onb-actions">
        <button type="submit" className="button button-primary" disabled={waitLeft > 0}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/** A state's heading (focused when it appears, so it is announced) and what to do. */
function State({ level, title, actions, children }: { level: 2 | 3; title: string; actions?: ReactNode; children: ReactNode }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={id} className="id-state">
      <Heading id={id} ref={heading} tabIndex={-1}>
        {title}
      </Heading>
      {children}
      {actions && <div className="onb-actions">{actions}</div>}
    </section>
  );
}
