/**
 * The onboarding form as four short steps (consent, details, ID, live face), each checked before
 * the next, so the camera starts only once the person has agreed, sent the ID and chosen to start
 * the liveness check. A refusal from the API sends the person back to the step it is about, with
 * the message there.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ConsentStep } from './ConsentStep.tsx';
import { DetailsStep, type Details } from './DetailsStep.tsx';
import { StartProblem } from './StartProblem.tsx';
import { useWaitLeft } from '../identity/FlowNotices.tsx';
import type { PreparedImage } from '../identity/images.ts';
import { IdDocumentInput } from '../identity/IdDocumentInput.tsx';
import { LivenessInstructions } from '../identity/liveness/LivenessStep.tsx';
import type { Problem } from '../identity/problems.ts';
import { emailProblem, nameProblem } from '../identity/validation.ts';

/** Everything the form collects. */
export interface OnboardingValues extends Details {
  consent: boolean;
  idPhoto: PreparedImage | null;
}

export type StepKey = 'consent' | 'details' | 'id' | 'face';
type Errors = Partial<Record<'consent' | 'name' | 'email' | 'idPhoto', string>>;

const STEPS: { key: StepKey; title: string }[] = [
  { key: 'consent', title: 'Before you start' },
  { key: 'details', title: 'Your details' },
  { key: 'id', title: 'Your ID document' },
  { key: 'face', title: 'Your live face' },
];

function problemsOf(step: StepKey, values: OnboardingValues): Errors {
  switch (step) {
    case 'consent':
      return values.consent ? {} : { consent: 'Tick the box to agree. Without your agreement we cannot verify you.' };
    case 'details':
      return Object.fromEntries(Object.entries({ name: nameProblem(values.name), email: emailProblem(values.email) }).filter(([, m]) => m));
    case 'id':
      return values.idPhoto ? {} : { idPhoto: 'Add a photo of your ID: upload one, or take it with the camera.' };
    case 'face':
      return {};
  }
}

/** Where a refusal of the API belongs. */
function stepOf(problem: Problem): { step: StepKey; error: keyof Errors } | undefined {
  if (problem.field === 'consent') return { step: 'consent', error: 'consent' };
  if (problem.field) return { step: 'details', error: problem.field };
  if (problem.retake.includes('ID_DOCUMENT')) return { step: 'id', error: 'idPhoto' };
  return undefined;
}

export interface OnboardingFormProps {
  values: OnboardingValues;
  onChange(values: OnboardingValues): void;
  /** The step to show first (a new attempt starts at the ID). */
  startAt?: StepKey;
  /** Why startVerification refused the form, if it did. */
  problem: Problem | null;
  /** Everything is filled in and checked: start. */
  onSubmit(): void;
}

/** The four steps; `onSubmit` runs once every step is filled in and checked. */
export function OnboardingForm({ values, onChange, startAt = 'consent', problem, onSubmit }: OnboardingFormProps) {
  const [step, setStep] = useState<StepKey>(startAt);
  const [errors, setErrors] = useState<Errors>({});
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const waitLeft = useWaitLeft(problem);
  const index = STEPS.findIndex((s) => s.key === step);
  const placed = problem ? stepOf(problem) : undefined;

  useEffect(() => {
    if (!problem) return;
    const target = stepOf(problem);
    if (target) {
      setStep(target.step);
      setErrors({ [target.error]: problem.message });
    }
  }, [problem]);

  // Keyboard and screen reader users land on the new step, not at the end of the last one.
  useEffect(() => {
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [step]);

  const update = (next: Partial<OnboardingValues>, cleared: (keyof Errors)[]) => {
    onChange({ ...values, ...next });
    if (cleared.some((key) => errors[key]))
      setErrors((current) => ({ ...current, ...Object.fromEntries(cleared.map((key) => [key, undefined])) }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = problemsOf(step, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    if (step === 'face') onSubmit();
    else setStep(STEPS[index + 1].key);
  };

  return (
    <>
      <ol className="onb-steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li
            key={s.key}
            className={i < index ? 'onb-step-done' : i === index ? 'onb-step-current' : undefined}
            aria-current={i === index ? 'step' : undefined}
          >
            <span className="onb-step-number" aria-hidden="true">
              {i < index ? '✓' : i + 1}
            </span>
            <span>{s.title}</span>
          </li>
        ))}
      </ol>
      <form className="onb-card" noValidate onSubmit={submit} aria-labelledby={headingId}>
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {STEPS[index].title}
        </h2>
        {step === 'consent' && (
          <ConsentStep consent={values.consent} onConsentChange={(consent) => update({ consent }, ['consent'])} error={errors.consent} />
        )}
        {step === 'details' && (
          <DetailsStep value={values} onChange={({ name, email }) => update({ name, email }, ['name', 'email'])} errors={errors} />
        )}
        {step === 'id' && (
          <>
            <p>A passport, identity card or driving licence with your photo on it. Only the photo side is needed.</p>
            <ul className="onb-id-rules">
              <li>The whole document, flat, with all four corners in the picture; the rows of letters and &lt;&lt;&lt; at the bottom too, if it has them.</li>
              <li>Sharp and readable: no glare or shadow over your name, your dates or your photo.</li>
              <li>An ID that has not expired, in the name you entered.</li>
            </ul>
            <IdDocumentInput value={values.idPhoto} onChange={(idPhoto) => update({ idPhoto }, ['idPhoto'])} error={errors.idPhoto} />
          </>
        )}
        {step === 'face' && (
          <>
            <p>
              A liveness check: a few seconds of video from your camera show that you are a live person in front of it, and the best frame
              of it is compared with the photo on your ID. Nothing is uploaded from your files.
            </p>
            <LivenessInstructions />
            <p>Your camera starts when you choose Verify my identity.</p>
            {problem && !placed && <StartProblem problem={problem} email={values.email} />}
          </>
        )}
        <div className="onb-actions">
          {index > 0 && (
            <button type="button" className="button" onClick={() => setStep(STEPS[index - 1].key)}>
              Back
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={step === 'face' && waitLeft > 0}>
            {step === 'face' ? 'Verify my identity' : 'Continue'}
          </button>
        </div>
      </form>
    </>
  );
}
