import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { MockLink } from '@apollo/client/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import OnboardingPage from '../src/onboarding/OnboardingPage.tsx';
import {
  answers,
  appSyncError,
  description,
  fakeImage,
  fakeToken,
  installCamera,
  installXhr,
  verification,
  type RecordedUpload,
} from './identity-fakes.ts';
import { renderWithApp } from './render.tsx';

// jsdom has no camera, WebAssembly or WebSocket for Amplify's liveness component: a fake reports what it can.
vi.mock('../src/identity/liveness/LivenessDetector.tsx', () => import('./fake-liveness-detector.tsx'));

// jsdom has no canvas or image decoding: the photos are made by the fakes.
vi.mock('../src/identity/images.ts', async (original) => ({
  ...(await original<typeof import('../src/identity/images.ts')>()),
  captureFrame: vi.fn(async () => fakeImage(1000)),
  prepareImageFile: vi.fn(async (file: File) => fakeImage(file.size)),
}));

const FAST_POLL = { processing: 10, review: 10 };
const input = {
  email: 'ana@example.com',
  name: 'Ana Lima',
  consent: true,
  idDocument: { contentType: 'image/jpeg', size: 2000 },
};

let uploads: RecordedUpload[];
beforeEach(() => {
  history.replaceState(null, '', '/verify');
  sessionStorage.clear();
  installCamera();
  uploads = installXhr();
});
afterEach(() => vi.unstubAllGlobals());

function renderPage(mocks: MockLink.MockedResponse[] = []) {
  const user = userEvent.setup();
  const rendered = renderWithApp(<OnboardingPage pollMs={FAST_POLL} />, { mocks });
  return { user, ...rendered };
}

/** Goes through the four steps with valid answers and presses Verify my identity (the liveness check starts). */
async function fillAndVerify(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await user.type(screen.getByLabelText('Full name'), 'Ana Lima');
  await user.type(screen.getByLabelText('Email'), 'ana@example.com');
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await user.upload(screen.getByLabelText('Photo of your ID'), new File([new Uint8Array(2000)], 'id.jpg', { type: 'image/jpeg' }));
  await screen.findByRole('img', { name: 'Your ID photo' });
  await user.click(screen.getByRole('button', { name: 'Continue' }));
  await screen.findByRole('heading', { name: 'Your live face' });
  await user.click(screen.getByRole('button', { name: 'Verify my identity' }));
}

/** The liveness check on screen finishes (the component's onAnalysisComplete). */
async function finishCheck(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'Finish the check' }));
}

describe('the onboarding form', () => {
  it('explains what is kept and for how long, and will not go on without consent', async () => {
    const { user } = renderPage();
    expect(screen.getByRole('heading', { name: 'Before you start' })).toBeTruthy();
    expect(screen.getByText(/kept for\s+30 days/)).toBeTruthy();
    expect(screen.getByText(/at most 7 days/)).toBeTruthy();
    expect(screen.getByText(/deleted within 15 minutes/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('alert').textContent).toContain('Tick the box to agree');
    expect(screen.queryByRole('heading', { name: 'Your details' })).toBeNull();

    await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { name: 'Your details' })).toBeTruthy();
  });

  it('checks the name (1-100 characters) and the email before the ID step', async () => {
    const { user } = renderPage();
    await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(description(screen.getByLabelText('Full name'))).toMatch(/Enter your name\./);
    expect(description(screen.getByLabelText('Email'))).toMatch(/Enter your email address\./);

    await user.type(screen.getByLabelText('Full name'), 'x'.repeat(101));
    await user.type(screen.getByLabelText('Email'), 'ana@example');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(description(screen.getByLabelText('Full name'))).toMatch(/at most 100 characters/);
    expect(description(screen.getByLabelText('Email'))).toMatch(/valid email address/);

    await user.clear(screen.getByLabelText('Full name'));
    await user.type(screen.getByLabelText('Full name'), 'Ana Lima');
    await user.type(screen.getByLabelText('Email'), '.com');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { name: 'Your ID document' })).toBeTruthy();
  });

  it('wants an ID photo, then says what the liveness check asks before the camera starts', async () => {
    const { user } = renderPage();
    await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.type(screen.getByLabelText('Full name'), 'Ana');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(description(screen.getByLabelText('Photo of your ID'))).toMatch(/Add a photo of your ID/);

    await user.upload(screen.getByLabelText('Photo of your ID'), new File([new Uint8Array(10)], 'id.png', { type: 'image/png' }));
    await user.click(await screen.findByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { name: 'Your live face' })).toBeTruthy();
    expect(screen.getByText(/When the oval appears, move closer until your face fills it/)).toBeTruthy();
    expect(screen.getByText(/Your camera starts when you choose Verify my identity/)).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Liveness check' })).toBeNull();
  });

  it('says what to do when the camera is refused', async () => {
    installCamera('NotAllowedError');
    const { user } = renderPage();
    await user.click(screen.getByRole('checkbox', { name: /I agree/ }));
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.type(screen.getByLabelText('Full name'), 'Ana');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.click(screen.getByRole('radio', { name: 'Use the camera' }));
    expect(await screen.findByText(/Camera access is blocked/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try the camera again' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Take photo of ID' })).toBeNull();
  });
});

describe('a verification', () => {
  it('PUTs the ID photo with its signed headers, runs the liveness check the API started, and signs in when VERIFIED', async () => {
    const token = fakeToken({ email: 'ana@example.com' });
    const { user, session } = renderPage([answers.startVerification(input), answers.startLivenessCheck(1), answers.submit(verification('VERIFIED'), token)]);
    await fillAndVerify(user);

    expect(await screen.findByRole('heading', { name: 'Show your face' })).toBeTruthy();
    expect(await screen.findByText('Liveness session liveness-1')).toBeTruthy();
    expect(uploads.map((u) => [u.method, u.url.split('?')[0]])).toEqual([['PUT', 'https://s3.test/uploads/session-1/ID_DOCUMENT']]);
    // The browser sets Content-Length itself and refuses it from scripts.
    expect(uploads[0].headers).toEqual({ 'Content-Type': 'image/jpeg' });
    expect((uploads[0].body as Blob).size).toBe(2000);
    expect(session.current()).toBeNull();

    await finishCheck(user);
    await waitFor(() => expect(session.current()?.email).toBe('ana@example.com'));
    expect(location.pathname).toBe('/board');
  });

  it('explains a check the component stopped in words a person can act on, and starts a new one', async () => {
    const { user, session } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.startLivenessCheck(2),
      answers.submit(verification('VERIFIED'), fakeToken()),
    ]);
    await fillAndVerify(user);
    await user.click(await screen.findByRole('button', { name: 'Fail with MULTIPLE_FACES_ERROR' }));

    expect(await screen.findByRole('heading', { name: 'The liveness check stopped' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/More than one face .* Only one face/);
    expect(screen.getByText(/A check that stopped in the browser does not count/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Start a new liveness check' }));
    expect(await screen.findByText('Liveness session liveness-2')).toBeTruthy();
    await finishCheck(user);
    await waitFor(() => expect(session.current()).not.toBeNull());
  });

  it('shows the upload progress and what is being checked', async () => {
    const { user } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      { ...answers.submit(verification('VERIFIED'), fakeToken()), delay: 200 },
      answers.cancel(),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);
    expect(await screen.findByRole('heading', { name: 'Checking your liveness check' })).toBeTruthy();
    expect(screen.getByText('Checking the liveness result and comparing the faces…')).toBeTruthy();
  });

  it('on REQUIRES_INPUT shows the reason and attempts left, and a new liveness check decides again', async () => {
    const reason =
      'The liveness check could not confirm a live person in front of the camera. Start a new one: alone, in good, even light, moving into the oval as it asks (2 attempts left).';
    const { user, session } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.submit(verification('REQUIRES_INPUT', { reason, attemptsLeft: 2 })),
      answers.startLivenessCheck(2),
      answers.submit(verification('VERIFIED'), fakeToken()),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);

    expect(await screen.findByRole('heading', { name: 'We need a new liveness check' })).toBeTruthy();
    expect(screen.getByText(reason)).toBeTruthy();
    expect(screen.getByText('2 attempts left.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Start a new liveness check' }));
    expect(await screen.findByText('Liveness session liveness-2')).toBeTruthy();
    await finishCheck(user);
    await waitFor(() => expect(session.current()).not.toBeNull());
    // The ID photo went once: a new check needs no new upload.
    expect(uploads).toHaveLength(1);
  });

  it('on a refusal about the ID asks for a new photo of it, then a new liveness check', async () => {
    const reason = 'This ID has expired. Use an ID that is still valid. (2 attempts left)';
    const { user, session } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.submit(verification('REQUIRES_INPUT', { reason, attemptsLeft: 2 })),
      answers.requestUpload('ID_DOCUMENT'),
      answers.startLivenessCheck(2),
      answers.submit(verification('VERIFIED'), fakeToken()),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);

    expect(await screen.findByRole('heading', { name: 'We need a new photo of your ID' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Send and check again' }));
    expect(screen.getByRole('alert').textContent).toContain('Add a new photo of your ID first');
    await user.upload(screen.getByLabelText('Photo of your ID'), new File([new Uint8Array(3000)], 'id2.jpg', { type: 'image/jpeg' }));
    await user.click(await screen.findByRole('button', { name: 'Send and check again' }));
    expect(await screen.findByText('Liveness session liveness-2')).toBeTruthy();
    await finishCheck(user);
    await waitFor(() => expect(session.current()).not.toBeNull());
    expect(uploads).toHaveLength(2);
  });

  it('cancels a session left unfinished, so its photos go at once', async () => {
    const canceled = vi.fn();
    const { user, unmount } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.submit(verification('REQUIRES_INPUT', { reason: 'No match.', attemptsLeft: 2 })),
      answers.cancel(canceled),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);
    await screen.findByRole('heading', { name: 'We need a new liveness check' });
    expect(canceled).not.toHaveBeenCalled();
    unmount();
    await waitFor(() => expect(canceled).toHaveBeenCalledOnce());
  });

  it('on InvalidImage says which photo to retake and that it cost no attempt', async () => {
    const message = 'No clear face found on the ID: photograph the whole card, flat, without glare.';
    const { user } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.submitError(
        appSyncError('InvalidImage', message, {
          reason: 'NO_FACE_ON_ID',
          verification: verification('REQUIRES_INPUT', { reason: message }),
        }),
      ),
      answers.cancel(),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);

    expect(await screen.findByRole('heading', { name: 'We need a new photo of your ID' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain(message);
    expect(screen.getByText(/does not count/)).toBeTruthy();
    expect(screen.getByRole('region', { name: 'New photo of your ID' })).toBeTruthy();
  });

  it('on NEEDS_REVIEW says how long it may take, keeps checking, and guides to face sign-in once approved', async () => {
    const { user, session } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.submit(
        verification('NEEDS_REVIEW', { reason: 'An administrator will review your verification.', expiresAt: '2030-01-08T10:00:00.000Z' }),
      ),
      answers.poll(verification('NEEDS_REVIEW', { expiresAt: '2030-01-08T10:00:00.000Z' })),
      answers.poll(verification('VERIFIED', { reason: 'An administrator approved your verification. Sign in with your face.' })),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);

    expect(await screen.findByRole('heading', { name: 'Waiting for a review' })).toBeTruthy();
    expect(screen.getByText(/up to 7 days/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel verification' })).toBeTruthy();

    expect(await screen.findByRole('heading', { name: "You're verified" })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Sign in with your face' }).getAttribute('href')).toBe('/sign-in');
    // A poll never carries a token: the person signs in with their face.
    expect(session.current()).toBeNull();
  });

  it('cancels after a confirmation, and can start again', async () => {
    const { user } = renderPage([
      answers.startVerification(input),
      answers.startLivenessCheck(1),
      answers.submit(verification('NEEDS_REVIEW', { reason: 'In review.' })),
      { ...answers.poll(verification('NEEDS_REVIEW', { reason: 'In review.' })), maxUsageCount: 100 },
      answers.cancel(),
    ]);
    await fillAndVerify(user);
    await finishCheck(user);
    await user.click(await screen.findByRole('button', { name: 'Cancel verification' }));
    const dialog = screen.getByRole('dialog', { name: 'Cancel this verification?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, cancel it' }));

    expect(await screen.findByRole('heading', { name: 'Verification canceled' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Start again' }));
    expect(screen.getByRole('heading', { name: 'Your ID document' })).toBeTruthy();
  });

  it.each([
    ['FAILED', 'No attempts left for this session. Wait a while, then start again.', 'We could not verify you'],
    ['EXPIRED', 'This session expired before it was finished; its images were deleted. Start again.', 'This verification expired'],
  ] as const)('on %s says so, with the reason and Start again', async (state, reason, heading) => {
    const { user } = renderPage([answers.startVerification(input), answers.startLivenessCheck(1), answers.submit(verification(state, { reason, attemptsLeft: 0 }))]);
    await fillAndVerify(user);
    await finishCheck(user);
    expect(await screen.findByRole('heading', { name: heading })).toBeTruthy();
    expect(screen.getByText(reason)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start again' })).toBeTruthy();
  });
});

describe('refusals at the start', () => {
  it('RateLimited: counts down to when trying again makes sense, and waits until then', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    try {
      const { user } = renderPage([
        answers.startVerification(input, {
          errors: [appSyncError('RateLimited', 'Too many attempts: try again in 15 minutes.', { retryAfterSeconds: 840 })],
        }),
      ]);
      await fillAndVerify(user);
      expect(await screen.findByText(/You can try again in 14 minutes\./)).toBeTruthy();
      expect((screen.getByRole('button', { name: 'Verify my identity' }) as HTMLButtonElement).disabled).toBe(true);
      await act(async () => void vi.setSystemTime(Date.now() + 841_000));
      expect(await screen.findByText(/You can try again now\./, undefined, { timeout: 2000 })).toBeTruthy();
      expect((screen.getByRole('button', { name: 'Verify my identity' }) as HTMLButtonElement).disabled).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('Unauthorized: explains the invitation', async () => {
    const { user } = renderPage([
      answers.startVerification(input, {
        errors: [appSyncError('Unauthorized', 'This email has not been invited to SecureTask: ask an administrator for an invitation.')],
      }),
    ]);
    await fillAndVerify(user);
    expect(await screen.findByText(/has not been invited/)).toBeTruthy();
    expect(screen.getByText(/invitation-only/)).toBeTruthy();
  });

  it('ValidationError about the email: back to the details, message on the field', async () => {
    const { user } = renderPage([
      answers.startVerification(input, { errors: [appSyncError('ValidationError', 'Enter a valid email address.')] }),
    ]);
    await fillAndVerify(user);
    expect(await screen.findByRole('heading', { name: 'Your details' })).toBeTruthy();
    expect(description(screen.getByLabelText('Email'))).toMatch(/Enter a valid email address\./);
  });

  it('not eligible (the API does not say whether the email is already verified): offers face sign-in too', async () => {
    const { user } = renderPage([
      answers.startVerification(input, {
        errors: [appSyncError('Unauthorized', 'This email has not been invited to SecureTask, or its invitation has expired: ask an administrator for an invitation. Already verified? Sign in with your face.')],
      }),
    ]);
    await fillAndVerify(user);
    expect((await screen.findByRole('link', { name: 'Sign in with your face' })).getAttribute('href')).toBe('/sign-in');
  });
});
