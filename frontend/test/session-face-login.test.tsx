import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import FaceLoginPage, { safeNext } from '../src/session/FaceLoginPage.tsx';
import { answers, appSyncError, description, fakeImage, fakeToken, installCamera, installXhr, verification } from './identity-fakes.ts';
import { renderWithApp } from './render.tsx';

vi.mock('../src/identity/images.ts', async (original) => ({
  ...(await original<typeof import('../src/identity/images.ts')>()),
  captureFrame: vi.fn(async () => fakeImage(1000)),
}));

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

async function signIn(user: ReturnType<typeof userEvent.setup>, email = 'ana@example.com') {
  await user.type(screen.getByLabelText('Email'), email);
  await waitFor(() => expect((screen.getByRole('button', { name: 'Take selfie' }) as HTMLButtonElement).disabled).toBe(false));
  await user.click(screen.getByRole('button', { name: 'Take selfie' }));
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('face sign-in', () => {
  it('wants an email and a selfie', async () => {
    const { user } = renderPage();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(description(screen.getByLabelText('Email'))).toMatch(/Enter your email address/);
    expect(screen.getByText(/Take a selfie first/)).toBeTruthy();
  });

  it('signs in with the token of a VERIFIED answer and goes where the person was headed', async () => {
    const token = fakeToken({ email: 'ana@example.com' });
    const { user, session } = renderPage([
      answers.startFaceLogin('ana@example.com'),
      answers.submit(verification('VERIFIED', { kind: 'FACE_LOGIN' }), token),
    ]);
    await signIn(user);
    await waitFor(() => expect(session.current()?.token).toBe(token));
    expect(location.pathname).toBe('/board/task-7');
  });

  it('on a mismatch asks for a new selfie, with the attempts left', async () => {
    const reason = 'We could not sign you in with this face and email. Take a new selfie in good, even light (2 attempts left).';
    const { user, session } = renderPage([
      answers.startFaceLogin('ana@example.com'),
      answers.submit(verification('REQUIRES_INPUT', { kind: 'FACE_LOGIN', reason, attemptsLeft: 2 })),
      answers.cancel(),
    ]);
    await signIn(user);
    expect(await screen.findByRole('heading', { name: 'Try again with a new selfie' })).toBeTruthy();
    expect(screen.getByText(reason)).toBeTruthy();
    expect(screen.getByText('2 attempts left.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start over' })).toBeTruthy();
    expect(session.current()).toBeNull();
  });

  it('when no attempts are left, says sign-in failed', async () => {
    const { user } = renderPage([
      answers.startFaceLogin('ana@example.com'),
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
    await signIn(user);
    expect(await screen.findByText('You can try again in 5 minutes.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('never offers a file for the selfie', () => {
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
