/**
 * The notices every verification screen shows the same way: what is happening now (starting,
 * uploading with progress, checking) and what went wrong with what to do about it.
 */
import type { FlowStep } from './useVerificationFlow.ts';
import type { Problem } from './problems.ts';
import { formatDuration, useNow } from './time.ts';
import { ErrorBanner } from '../ui/feedback.tsx';
import '../onboarding/onboarding.css';

const STEP_LABELS: Record<Exclude<FlowStep, 'idle'>, string> = {
  starting: 'Opening a secure session…',
  uploading: 'Uploading your ID photo…',
  liveness: 'Preparing the liveness check…',
  checking: 'Checking the liveness result and comparing the faces…',
  canceling: 'Canceling…',
};

/** The work in progress, announced politely; uploads with a progress bar. */
export function FlowProgress({ step, progress }: { step: FlowStep; progress: number }) {
  if (step === 'idle') return null;
  const percent = Math.round(progress * 100);
  return (
    <div className="id-progress" role="status">
      <span className="spinner-dot" aria-hidden="true" />
      <div className="id-progress-body">
        <strong>{STEP_LABELS[step]}</strong>
        {step === 'uploading' && (
          <div
            className="id-progress-bar"
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <span style={{ width: `${percent}%` }} />
          </div>
        )}
        {step === 'checking' && <span className="id-progress-note">This takes a few seconds. Keep this page open.</span>}
      </div>
    </div>
  );
}

/** Milliseconds until a RateLimited problem lets the person try again (0 when it does, or for other problems). */
export function useWaitLeft(problem: Problem | null): number {
  const now = useNow(1000, !!problem?.retryAt);
  return problem?.retryAt ? Math.max(0, problem.retryAt - now) : 0;
}

/** A problem and its next step: a countdown for RateLimited, a Try again button where that helps. */
export function ProblemNotice({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  const waitLeft = useWaitLeft(problem);
  if (problem.type === 'RateLimited') {
    return (
      <div className="id-notice id-notice-warning" role="alert">
        <strong>Too many attempts.</strong> {/* The server's message names the wait too; this one counts down. */}
        {problem.retryAt
          ? waitLeft > 0
            ? `You can try again in ${formatDuration(waitLeft)}.`
            : 'You can try again now.'
          : problem.message}
      </div>
    );
  }
  const canRetry = onRetry && (problem.retry === 'upload' || problem.retry === 'submit');
  return <ErrorBanner error={problem.message} onRetry={canRetry ? onRetry : undefined} />;
}

/** The way on after a refusal or a failed check: a new liveness check (its own button, named for what it does). */
export function NewLivenessCheckButton({ onClick, disabled = false }: { onClick(): void; disabled?: boolean }) {
  return (
    <button type="button" className="button button-primary" onClick={onClick} disabled={disabled}>
      Start a new liveness check
    </button>
  );
}

/** "Attempts left: 2", the comparisons the session may still run. */
export function AttemptsLeft({ count }: { count: number }) {
  return (
    <span className="id-attempts-count">
      {count} {count === 1 ? 'attempt' : 'attempts'} left.
    </span>
  );
}
