/**
 * The session's end, in the header: nothing while it is far off, a countdown with "Stay signed
 * in" in its last minutes, and, shortly before the end, a dialog asking for the face again
 * (RenewDialog). The person may put the dialog off; if the session runs out anyway, it ends here
 * (the app then sends the person to /sign-in?next=… to come back to the same page).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { systemClock, useClock, type Clock } from './clock.ts';
import { useSession, useSessionStore } from './useSession.ts';
import { rememberEmail } from '../identity/handoff.ts';
import { formatClock } from '../identity/time.ts';
import { toast } from '../ui/toasts.tsx';
import '../onboarding/onboarding.css';

// The camera and verification code load when a session nears its end, not with every page.
const loadRenewDialog = () => import('./RenewDialog.tsx');
const RenewDialog = lazy(() => loadRenewDialog().then((module) => ({ default: module.RenewDialog })));

export interface SessionTimerProps {
  /** The time source (tests pass one they can move). */
  clock?: Clock;
  /** The countdown shows this long before the end, in ms. */
  warnBeforeMs?: number;
  /** The renewal dialog opens by itself this long before the end, in ms. */
  renewBeforeMs?: number;
}

/** Minutes as a screen reader announces them once a minute, not every second. */
function minutesLeft(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return `Your session ends in ${minutes === 1 ? 'less than a minute' : `${minutes} minutes`}.`;
}

/** The header's session countdown and renewal; renders nothing while the end is far. */
export function SessionTimer({ clock = systemClock, warnBeforeMs = 5 * 60_000, renewBeforeMs = 2 * 60_000 }: SessionTimerProps) {
  const session = useSession();
  const store = useSessionStore();
  const now = useClock(clock);
  // Both are per session: a renewed session (a new expiresAt) starts with neither.
  const [putOff, setPutOff] = useState<number | null>(null);
  const [asked, setAsked] = useState<number | null>(null);
  const [typedEmail, setTypedEmail] = useState('');

  const expiresAt = session?.expiresAt ?? Infinity;
  const left = expiresAt - now;
  const ended = session !== null && left <= 0;
  const email = session?.email;
  useEffect(() => {
    if (!ended) return;
    // The sign-in page offers the same email, so coming back is one liveness check away.
    if (email) rememberEmail(email);
    store.signOut();
    toast('Your session ended. Sign in with your face to continue where you were.', 'info', 8000);
  }, [ended, store, email]);

  const warning = session !== null && !ended && left <= warnBeforeMs;
  useEffect(() => {
    // Fetched when the countdown appears, so the dialog opens at once when it is needed.
    if (warning) void loadRenewDialog();
  }, [warning]);

  if (!session || !warning) return null;
  const open = asked === expiresAt || (left <= renewBeforeMs && putOff !== expiresAt);

  return (
    <>
      <span className="id-timer" role="timer" aria-label={`Session ends in ${formatClock(left)}`}>
        <span aria-hidden="true">
          <span className="id-timer-words">Session ends in </span>
          {formatClock(left)}
        </span>
        <button type="button" className="button button-quiet button-small" onClick={() => setAsked(expiresAt)}>
          Stay signed in
        </button>
      </span>
      <span className="visually-hidden" role="status">
        {minutesLeft(left)}
      </span>
      <Suspense fallback={null}>
        {open && (
          <RenewDialog
            open={open}
            email={session.email || typedEmail}
            onEmailChange={session.email ? undefined : setTypedEmail}
            timeLeft={left}
            onRenewed={(token) => {
              store.signIn(token);
              toast('You are still signed in: your session was renewed.', 'success');
            }}
            onClose={() => {
              setPutOff(expiresAt);
              setAsked(null);
            }}
          />
        )}
      </Suspense>
    </>
  );
}
