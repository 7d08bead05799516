/**
 * /sign-in: a verified person signs in with their email and a liveness check (startFaceLogin; see
 * docs/verification.md). On success the token starts the session and the person goes where they
 * were headed (`?next=`), or to the board.
 */
import { useState } from 'react';
import { useSessionStore } from './useSession.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { HOME } from '../app/routes.ts';
import { FaceCheck } from '../identity/FaceCheck.tsx';
import { rememberEmail, rememberedEmail } from '../identity/handoff.ts';
import '../onboarding/onboarding.css';

/** Only a path of this app: `?next=https://elsewhere` must not send a fresh session away. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : HOME;
}

/** The /sign-in screen. */
export default function FaceLoginPage() {
  const session = useSessionStore();
  const { search } = useLocation();
  const [email, setEmail] = useState(rememberedEmail);
  const next = safeNext(search.get('next'));
  const returning = search.has('next');

  const signedIn = (token: string) => {
    rememberEmail(email);
    session.signIn(token);
    navigate(next, { replace: true });
  };

  return (
    <section className="id-signin" aria-labelledby="signin-title">
      <header className="onb-header">
        <h1 id="signin-title">Sign in with your face</h1>
        <p className="onb-lead">
          {returning ? 'Show your face to continue where you were.' : 'Your email and a few seconds in front of your camera: no password to remember.'}
        </p>
      </header>
      <div className="onb-card">
        <FaceCheck email={email} onEmailChange={setEmail} onVerified={signedIn} submitLabel="Sign in" />
      </div>
      <p className="id-signin-alt">
        New to SecureTask? <Link to="/verify">Verify your identity</Link> first.
      </p>
    </section>
  );
}
