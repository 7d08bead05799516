import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FaceLoginPage, { safeNext } from '../src/session/FaceLoginPage.tsx';
import { answers, appSyncError, description, fakeToken, installCamera, installXhr, verification } from './identity-fakes.ts';
import { renderWithApp } from './render.tsx';

// jsdom has no camera, WebAssembly or WebSocket for Amplify's liveness component: a fake reports what it can.
vi.mock('../src/identity/liveness/LivenessDetector.tsx', () => import('./fake-liveness-detector.tsx'));

beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/sign-in?next=%2Fboard%2Ftask-7');
  installCamera();
  installXhr();
});
afterEach(() => vi.unstubAllGlobals());

function renderPage(mocks: MockLink.MockedResponse[] = []) {
  const user = userEvent.setup();
  return { user, ...renderWithApp(<FaceLoginPage />, { mocks }) };
}

/** Email, Sign in, and the liveness check finishes (the component's onAnalysisComplete). */
async function signIn(user: ReturnType<typeof userEvent.setup>, email = 'ana@example.com', { finish = true } = {}) {
  await user.type(screen.getByLabelText('Email'), email);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  if (finish) await user.click(await screen.findByRole('button', { name: 'Finish the check' }));
}

describe('face sign-in', () => {
  it('wants an email, and says what the liveness check asks before the camera starts', async () => {
    const { user } = renderPage();
    expect(screen.getByText(/When the oval appears, move closer until your face fills it/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(description(screen.getByLabelText('Email'))).toMatch(/Enter your email address/);
    expect(screen.queryByRole('group', { name: 'Liveness check' })).toBeNull();
  });

  it('runs the liveness check the API started, signs in with the token of a VERIFIED answer and goes where the person was headed', async () => {
    const token = fakeToken({ email: 'ana@example.com' });
    const { user, session } = renderPage([
      answers.startFaceLogin('ana@example.com'),
      answers.startLivenessCheck(1),
      answers.submit(verification('VERIFIED', { kind: 'FACE_LOGIN' }), token),
    ]);
    await signIn(user, 'ana@example.com', { finish: false });
    expect(await screen.findByRole('heading', { name: 'Show your face' })).toBeTruthy();
    expect(await screen.findByText('Liveness session liveness-1')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Finish the check' }));
    await waitFor(() => expect(session.current()?.token).toBe(token));
    expect(location.pathname).toBe('/board/task-7');
  });

  it('explains a check the component stopped (too slow into the oval) and offers a new one', async () => {
    const { user } = renderPage([answers.startFaceLogin('ana@example.com'), answers.startLivenessCheck(1), answers.startLivenessCheck(2), answers.cancel()]);
    await signIn(user, 'ana@example.com', { finish: false });
    await user.click(await screen.findByRole('button', { name: 'Fail with TIMEOUT' }));
    expect(await screen.findByRole('heading', { name: 'The liveness check stopped' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/did not fill the oval in time\. Move closer/);
    await user.click(screen.getByRole('button', { name: 'Start a new liveness check' }));
    expect(await screen.findByText('Liveness session liveness-2')).toBeTruthy();
  });

  it('on a mismatch asks for a new liveness check, with the attempts left', async () => {
    const reason = 'We could not sign you in with this face and email. Start a new liveness check in good, even light (2 attempts left).';
    const { user, session } = renderPage([
      answers.startFaceLogin('ana@example.com'),
      answers.startLivenessCheck(1),
      answers.submit(verification('REQUIRES_INPUT', { kind: 'FACE_LOGIN', reason, attemptsLeft: 2 })),
      answers.cancel(),
    ]);
    await signIn(user);
    expect(await screen.findByRole('heading', { name: 'Try again with a new liveness check' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start a new liveness check' })).toBeTruthy();
    expect(screen.getByText(reason)).toBeTruthy();
    expect(screen.getByText('2 attempts left.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start over' })).toBeTruthy();
    expect(session.current()).toBeNull();
  });

  it('when no attempts are left, says sign-in failed', async () => {
    const { user } = renderPage([
      answers.startFaceLogin('ana@example.com'),
      answers.startLivenessCheck(1),
      answers.submit(
        verification('FAILED', {
          kind: 'FACE_LOGIN',
          reason: 'No attempts left for this session. Wait a while, then start again.',
          attemptsLeft: 0,
        }),
      ),
    ]);
    await signIn(user);
    expect(await screen.findByRole('heading', { name: 'Sign-in failed' })).toBeTruthy();
    expect(screen.getByText(/No attempts left/)).toBeTruthy();
  });

  it('RateLimited: shows how long to wait and holds the button', async () => {
    const { user } = renderPage([
      answers.startFaceLogin('ana@example.com', {
        errors: [appSyncError('RateLimited', 'Too many attempts: try again in 5 minutes.', { retryAfterSeconds: 300 })],
      }),
    ]);
    await signIn(user, 'ana@example.com', { finish: false });
    expect(await screen.findByText('You can try again in 5 minutes.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('never offers a file for the face', () => {
    renderPage();
    expect(document.querySelector('input[type="file"]')).toBeNull();
  });
});

describe('the next page after sign-in', () => {
  it('is a path of this app, never another site', () => {
    expect(safeNext('/board/t1?x=1')).toBe('/board/t1?x=1');
    expect(safeNext('https://evil.example/')).toBe('/board');
    expect(safeNext('//evil.example/')).toBe('/board');
    expect(safeNext(null)).toBe('/board');
  });
});
