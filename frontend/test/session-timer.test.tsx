import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../src/session/clock.ts';
import { createSessionStore } from '../src/session/session.ts';
import { SessionTimer } from '../src/session/SessionTimer.tsx';
import { answers, fakeImage, fakeToken, installCamera, installXhr, verification } from './identity-fakes.ts';
import { memoryStorage, renderWithApp } from './render.tsx';

// jsdom has no camera, WebAssembly or WebSocket for Amplify's liveness component: a fake reports what it can.
vi.mock('../src/identity/liveness/LivenessDetector.tsx', () => import('./fake-liveness-detector.tsx'));

vi.mock('../src/identity/images.ts', async (original) => ({
  ...(await original<typeof import('../src/identity/images.ts')>()),
  captureFrame: vi.fn(async () => fakeImage(1000)),
}));

const MINUTE = 60_000;
const T0 = Date.UTC(2030, 0, 1, 10, 0, 0);

/** A clock the test moves by hand. */
function manualClock(start: number) {
  let now = start;
  const listeners = new Set<() => void>();
  const clock: Clock = {
    now: () => now,
    subscribe(onTick) {
      listeners.add(onTick);
      return () => void listeners.delete(onTick);
    },
  };
  const advanceTo = (ms: number) =>
    act(() => {
      now = ms;
      listeners.forEach((listener) => listener());
    });
  return { clock, advanceTo };
}

beforeEach(() => {
  installCamera();
  installXhr();
});
afterEach(() => vi.unstubAllGlobals());

function renderTimer(mocks: MockLink.MockedResponse[] = []) {
  const session = createSessionStore(memoryStorage());
  // The session's expiry is the token's (whole seconds), so the clock starts from the token.
  session.signIn(fakeToken({ email: 'ana@example.com', expiresAt: T0 + 10 * MINUTE }));
  const { clock, advanceTo } = manualClock(T0);
  const user = userEvent.setup();
  renderWithApp(
    <>
      {/* What the person was doing: it must survive the renewal. */}
      <input aria-label="Draft comment" />
      <SessionTimer clock={clock} />
    </>,
    { mocks, session },
  );
  return { user, session, advanceTo };
}

describe('the session timer', () => {
  it('stays out of the way until the last minutes, then counts down', async () => {
    const { advanceTo } = renderTimer();
    expect(screen.queryByRole('timer')).toBeNull();
    advanceTo(T0 + 6 * MINUTE);
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('Session ends in 4:00');
    expect(screen.getByRole('button', { name: 'Stay signed in' })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('asks for the face before the end and renews the session in place', async () => {
    const renewed = fakeToken({ email: 'ana@example.com', expiresAt: T0 + 40 * MINUTE });
    const { user, session, advanceTo } = renderTimer([
      answers.startFaceLogin('ana@example.com'),
      answers.startLivenessCheck(1),
      answers.submit(verification('VERIFIED', { kind: 'FACE_LOGIN' }), renewed),
    ]);
    await user.type(screen.getByLabelText('Draft comment'), 'half-written');

    advanceTo(T0 + 8.5 * MINUTE);
    const dialog = await screen.findByRole('alertdialog', { name: "Confirm it's you to stay signed in" });
    expect(within(dialog).getByText('1:30')).toBeTruthy();
    // The email is the session's: nothing to type.
    expect(within(dialog).queryByLabelText('Email')).toBeNull();

    await user.click(within(dialog).getByRole('button', { name: "Confirm it's me" }));
    await user.click(await within(dialog).findByRole('button', { name: 'Finish the check' }));

    await waitFor(() => expect(session.current()?.token).toBe(renewed));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.queryByRole('timer')).toBeNull();
    expect((screen.getByLabelText('Draft comment') as HTMLInputElement).value).toBe('half-written');
  });

  it('can be put off, and signs out when the session ends anyway', async () => {
    const { user, session, advanceTo } = renderTimer();
    advanceTo(T0 + 9 * MINUTE);
    await user.click(await screen.findByRole('button', { name: 'Not now' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    advanceTo(T0 + 9.5 * MINUTE);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('Session ends in 0:30');
    expect(session.current()).not.toBeNull();

    advanceTo(T0 + 10 * MINUTE);
    expect(session.current()).toBeNull();
  });

  it('opens the dialog on request from the countdown', async () => {
    const { user, advanceTo } = renderTimer();
    advanceTo(T0 + 7 * MINUTE);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Stay signed in' }));
    expect(await screen.findByRole('alertdialog')).toBeTruthy();
  });
});
