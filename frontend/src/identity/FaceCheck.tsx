/**
 * A face sign-in from start to token: the email (unless it is known), a selfie by camera, then
 * startFaceLogin, the upload and the decision, with every state's next step. The sign-in page
 * and the session renewal dialog both use it. A selfie cannot come from a file here: anyone
 * holding a photo of the person could then sign in as them.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { startFaceLogin } from './api.ts';
import { CameraCapture } from './CameraCapture.tsx';
import { AttemptsLeft, FlowProgress, ProblemNotice, useWaitLeft } from './FlowNotices.tsx';
import type { PreparedImage } from './images.ts';
import { RetakeForm } from './RetakeForm.tsx';
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

/** Email and selfie to a session token, with every state of a face sign-in. */
export function FaceCheck({ email, onEmailChange, onVerified, submitLabel, headingLevel = 2 }: FaceCheckProps) {
  const flow = useVerificationFlow({ onVerified: (token) => onVerified(token) });
  const [selfie, setSelfie] = useState<PreparedImage | null>(null);
  const [errors, setErrors] = useState<{ email?: string; selfie?: string }>({});
  const waitLeft = useWaitLeft(flow.problem);
  const { verification, problem, step } = flow;

  const startOver = async () => {
    if (verification?.state === 'REQUIRES_INPUT') await flow.cancel();
    flow.reset();
    setSelfie(null);
  };

  if (step !== 'idle' && step !== 'canceling') return <FlowProgress step={step} progress={flow.progress} />;

  if (verification) {
    const over = (
      <button type="button" className="button" onClick={() => void startOver()}>
        Start over
      </button>
    );
    switch (verification.state) {
      case 'REQUIRES_INPUT': {
        const transient = problem?.retry === 'upload' || problem?.retry === 'submit';
        return (
          <State level={headingLevel} title="Try again with a new selfie" actions={transient && over}>
            {problem ? (
              <ProblemNotice problem={problem} onRetry={() => void flow.tryAgain()} />
            ) : (
              <p className="id-reason">{verification.reason}</p>
            )}
            <p className="id-attempts">
              <AttemptsLeft count={verification.attemptsLeft} /> If the email is wrong, choose Start over.
            </p>
            {!transient && (
              <RetakeForm
                purposes={['SELFIE']}
                required={['SELFIE']}
                onSubmit={(photos) => void flow.retake(photos)}
                disabled={waitLeft > 0}
                secondaryAction={over}
              />
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
    const found = {
      email: emailProblem(email),
      selfie: selfie ? undefined : 'Take a selfie first: look at the camera and choose Take selfie.',
    };
    setErrors(found);
    if (found.email || found.selfie) return;
    void flow.begin((client) => startFaceLogin(client, email.trim(), { contentType: selfie!.contentType, size: selfie!.size }), {
      SELFIE: selfie!,
    });
  };
  const emailError = errors.email ?? (problem?.field === 'email' ? problem.message : undefined);

  return (
    <form noValidate onSubmit={submit}>
      {onEmailChange && (
        <Field label="Email" error={emailError}>
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
                setErrors((current) => ({ ...current, email: undefined }));
              }}
            />
          )}
        </Field>
      )}
      <CameraCapture
        guide="face"
        value={selfie}
        onChange={(image) => {
          setSelfie(image);
          setErrors((current) => ({ ...current, selfie: undefined }));
        }}
        captureLabel="Take selfie"
        retakeLabel="Retake selfie"
        previewAlt="Your selfie"
        hint="Put your face inside the oval and look straight at the camera."
      />
      {errors.selfie && (
        <p className="field-error" role="alert">
          {errors.selfie}
        </p>
      )}
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
