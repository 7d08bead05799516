/**
 * Step 1: what the check is, what is kept and for how long (docs/verification.md, "Retention"),
 * and the person's explicit agreement, without which the API refuses to start.
 */
import { useId } from 'react';
import { useConfig } from '../app/config-context.ts';
import { useRetention } from './retention.ts';

export interface ConsentStepProps {
  consent: boolean;
  onConsentChange(consent: boolean): void;
  error?: string;
}

/** The retention notice and the required agreement checkbox. */
export function ConsentStep({ consent, onConsentChange, error }: ConsentStepProps) {
  const retention = useRetention();
  const local = useConfig().stage === 'local';
  const checkboxId = useId();
  const errorId = `${checkboxId}-error`;
  return (
    <>
      <p>
        SecureTask lets only verified people onto the board. You take a photo of your ID and a short liveness check with your camera (a few
        seconds of video that show a live person); we check that the two faces are the same person. Here is what happens to your data:
      </p>
      <ul className="onb-notice">
        <li>
          <strong>The comparison.</strong>{' '}
          {local ? 'A face matcher running on this machine' : 'A face-matching service (Amazon Rekognition)'} checks the video for a live person and
          compares the face in it with the photo on your ID. You get {retention.attemptsPerSession} tries; after too many, you wait{' '}
          {retention.coolDownMinutes} minutes before trying again.
        </li>
        <li>
          <strong>Your ID photo and the liveness check's images</strong> (a frame of your face and a few frames of the video) are deleted as soon as the verification ends: verified, failed or canceled. If you leave it
          unfinished, they are deleted within {retention.sessionMinutes} minutes, and never kept longer than {retention.uploadsMaxDays} day.
        </li>
        <li>
          <strong>If the match is uncertain,</strong> an administrator of your team looks at these images to decide. They are kept until
          then, at most {retention.reviewDays} days.
        </li>
        <li>
          <strong>The frame of your face from the liveness check is kept</strong> as your reference face, so that you can sign in with your face. It is deleted when your
          account is deleted.
        </li>
        <li>
          <strong>A record of the verification</strong> (its outcome and how close the faces were; no photos) is kept for{' '}
          {retention.recordDays} days after it ends. The audit log keeps what happened and from which network address, never a photo or your
          email.
        </li>
        <li>
          <strong>Your name and email</strong> identify you to your team. We email you when your account is ready and at every sign-in, so
          you would notice one that was not you.
        </li>
      </ul>
      <div className={`onb-consent${error ? ' onb-consent-invalid' : ''}`}>
        <input
          id={checkboxId}
          type="checkbox"
          checked={consent}
          onChange={(event) => onConsentChange(event.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
        <label htmlFor={checkboxId}>
          I agree that SecureTask checks that I am live, compares my face with my ID photo and keeps an image of my face to sign me in, as described above.
        </label>
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
