import type { Email } from './context.ts';

/** What a person reads: the reasons and emails of verification, in one place. */
export const reasons = {
  noMatch: (attemptsLeft: number) =>
    `The face in the selfie does not match the photo on the ID. Take a new selfie in good, even light, looking straight at the camera (${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left).`,
  faceLoginNoMatch: (attemptsLeft: number) =>
    `We could not sign you in with this face and email. Take a new selfie in good, even light (${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left).`,
  noAttemptsLeft: 'No attempts left for this session. Wait a while, then start again.',
  /** Why the document failed a check, by check: what a person can do about it. */
  document: {
    IS_DOCUMENT: 'This photo does not show an ID document. Photograph the front of your ID card, the photo page of your passport or your driving licence: the whole document, flat, in good light.',
    NOT_EXPIRED: 'This ID has expired. Use an ID that is still valid.',
    NAME_MATCHES: 'The name on the ID does not match the name you entered. Start again with your name as it is written on your ID, or use your own ID.',
    MRZ_CHECK_DIGITS: 'The machine-readable lines of the ID (the rows of letters, digits and <<< at the bottom) do not check out. Take a sharp photo of the whole ID without glare, or use another ID.',
    MRZ_MATCHES_PRINTED: 'The machine-readable lines of the ID do not match its printed details. Take a sharp photo of the whole ID without glare, or use another ID.',
    MINIMUM_AGE: (age: number) => `You must be at least ${age} years old to use SecureTask.`,
  },
  withAttemptsLeft: (reason: string, attemptsLeft: number) => `${reason} (${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left)`,
  documentInReview: 'Your ID could not be read well enough to check it automatically: an administrator will review your verification. You will get an email.',
  inReview: 'The faces are close but not certain: an administrator will review your verification. You will get an email.',
  expired: 'This session expired before it was finished; its images were deleted. Start again.',
  interrupted: 'The check of your images was interrupted before it finished. Submit again: it cost no attempt.',
  canceled: 'This session was canceled; its images were deleted.',
  rejectedByReview: 'An administrator reviewed your verification and could not confirm it.',
  approvedByReview: 'An administrator approved your verification. Sign in with your face.',
};

export const emails = {
  welcome: (to: string, name: string | undefined, role: string): Email => ({
    to,
    subject: 'Welcome to SecureTask',
    text: `Hello${name ? ` ${name}` : ''},\n\nYour identity was verified and your SecureTask account is active (role: ${role}).\nFrom now on you sign in with your face.\n\nIf this was not you, tell your administrator at once.\n`,
  }),
  signIn: (to: string, at: Date, sourceIp: string | null): Email => ({
    to,
    subject: 'New sign-in to SecureTask: was this you?',
    text: `Someone signed in to your SecureTask account with your face at ${at.toUTCString()}${sourceIp ? ` from ${sourceIp}` : ''}.\n\nIf this was you, there is nothing to do.\nIf it was not, tell your administrator at once: they can disable the account.\n`,
  }),
  approved: (to: string, name: string | undefined): Email => ({
    to,
    subject: 'Your SecureTask verification was approved',
    text: `Hello${name ? ` ${name}` : ''},\n\nAn administrator approved your identity verification. Your account is active: sign in with your face.\n`,
  }),
  rejected: (to: string, name: string | undefined): Email => ({
    to,
    subject: 'Your SecureTask verification could not be confirmed',
    text: `Hello${name ? ` ${name}` : ''},\n\nAn administrator reviewed your identity verification and could not confirm it. Your images were deleted.\nYou may start again with a clearer photo of your ID and a new selfie.\n`,
  }),
};
