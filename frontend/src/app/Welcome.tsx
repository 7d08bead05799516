/**
 * The first screen: what SecureTask is, and the two ways in (verify once with an ID and a
 * liveness check; after that, sign in with the face).
 */
import { Link } from './router.tsx';
import { useConfig } from './config-context.ts';

export default function Welcome() {
  const config = useConfig();
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Your team's tasks, and only your team.</h1>
      <p className="lead">
        SecureTask checks that everyone on the board is who they say they are: once with a photo of an ID and a live check of their face,
        then with a few seconds in front of the camera. Changes reach everyone's screen the moment they happen.
      </p>
      <div className="welcome-actions">
        <Link to="/verify" className="button button-primary button-large">
          Verify your identity
        </Link>
        <Link to="/sign-in" className="button button-large">
          Sign in with your face
        </Link>
      </div>
      <ol className="welcome-steps" aria-label="How it works">
        <li>
          <strong>Verify once.</strong> Photograph your ID and show your face live to the camera; we compare the faces.
        </li>
        <li>
          <strong>Sign in with your face.</strong> No password to forget or leak.
        </li>
        <li>
          <strong>Work together live.</strong> Every move on the board shows up for everyone, instantly.
        </li>
      </ol>
      {config.stage === 'local' && (
        <aside className="local-note">
          <h2>Running on this machine</h2>
          <p>
            On a fresh install the first person to verify becomes the admin. Emails SecureTask sends land in the <a href="/outbox">outbox</a>; the API
            details for scripts and other clients are on <a href="/local">/local</a>.
          </p>
        </aside>
      )}
    </section>
  );
}
