/**
 * /verify: a person without an account proves who they are (docs/verification.md). The form
 * collects consent, name, email and a photo of the ID; the flow opens the session, uploads the
 * photo, runs a liveness check (the live face), and shows the decision. VERIFIED signs in and opens the board; a session
 * waiting for review survives a reload of the tab.
 */
import { useEffect, useState } from 'react';
import { OnboardingForm, type OnboardingValues, type StepKey } from './OnboardingForm.tsx';
import { OnboardingSession } from './OnboardingSession.tsx';
import { forgetReview, rememberReview, rememberedReview } from './review-memory.ts';
import { navigate } from '../app/router.tsx';
import { HOME } from '../app/routes.ts';
import { startVerification } from '../identity/api.ts';
import { rememberEmail } from '../identity/handoff.ts';
import { useVerificationFlow } from '../identity/useVerificationFlow.ts';
import { useSessionStore } from '../session/useSession.ts';
import { toast } from '../ui/toasts.tsx';
import './onboarding.css';

const EMPTY: OnboardingValues = { consent: false, name: '', email: '', idPhoto: null };

export interface OnboardingPageProps {
  params?: Record<string, string>;
  /** How often to re-read the session, in ms (tests make it fast). */
  pollMs?: { processing: number; review: number };
}

/** The /verify screen: the form until a session starts, then the session's state. */
export default function OnboardingPage({ pollMs }: OnboardingPageProps) {
  const session = useSessionStore();
  const [values, setValues] = useState<OnboardingValues>(EMPTY);
  // A new key remounts the form (after Start again), at the step in `startAt`.
  const [form, setForm] = useState<{ key: number; startAt: StepKey }>({ key: 0, startAt: 'consent' });

  const flow = useVerificationFlow({
    pollMs,
    onVerified(token) {
      rememberEmail(values.email);
      session.signIn(token);
      toast('Your identity is verified. Welcome to SecureTask.', 'success');
      navigate(HOME, { replace: true });
    },
  });

  // Waiting for review is the one state worth coming back to after a reload.
  const { verification } = flow;
  useEffect(() => {
    if (verification?.state === 'NEEDS_REVIEW') rememberReview(verification.id, values.email);
    else if (verification) forgetReview();
  }, [verification, values.email]);
  useEffect(() => {
    const waiting = rememberedReview();
    if (!waiting) return;
    setValues((current) => ({ ...current, email: waiting.email }));
    void flow.resume(waiting.id).then((found) => found || forgetReview());
    // Once, on arrival: `flow` is a new object every render.
  }, []);

  const start = () =>
    flow.begin(
      (client) =>
        startVerification(client, {
          email: values.email.trim(),
          name: values.name.trim(),
          consent: values.consent,
          idDocument: { contentType: values.idPhoto!.contentType, size: values.idPhoto!.size },
        }),
      { ID_DOCUMENT: values.idPhoto! },
    );

  const startAgain = () => {
    flow.reset();
    setValues((current) => ({ ...current, idPhoto: null }));
    setForm((current) => ({ key: current.key + 1, startAt: 'id' }));
  };

  const inSession = flow.step !== 'idle' || flow.verification !== null;
  return (
    <section className="onb" aria-labelledby="onb-title">
      <header className="onb-header">
        <h1 id="onb-title">Verify your identity</h1>
        <p className="onb-lead">A photo of your ID and a short liveness check with your camera, compared once. It takes about two minutes.</p>
      </header>
      {inSession && <OnboardingSession flow={flow} onStartAgain={startAgain} onSignInNext={() => rememberEmail(values.email)} />}
      {/* Kept mounted (hidden) while the session runs, so a refusal at the start returns to the same step. */}
      <div hidden={inSession}>
        <OnboardingForm
          key={form.key}
          values={values}
          onChange={setValues}
          startAt={form.startAt}
          problem={flow.verification ? null : flow.problem}
          onSubmit={start}
        />
      </div>
    </section>
  );
}
