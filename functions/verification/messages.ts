import type { Email } from './context.ts';

const left = (attemptsLeft: number) => `${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left`;

/**
 * Why a check did not pass, as stable codes (audit entries carry them) each with what a person
 * reads. Every one of them cost an attempt; a new liveness check is the way forward.
 */
export type RejectReason = 'NO_MATCH' | 'LIVENESS_FAILED' | 'LIVENESS_OTHER_SESSION' | 'REFERENCE_IMAGE_REUSED' | 'SAME_PICTURE_AS_ID' | 'SAME_PICTURE_AS_REFERENCE_FACE' | 'DOCUMENT';

/** What a person reads: the reasons and emails of verification, in one place. */
export const reasons = {
  /** `documentReason`: what the failed document check says (`reasons.document`), for `DOCUMENT`. */
  rejected: (reason: RejectReason, kind: 'ONBOARDING' | 'FACE_LOGIN', attemptsLeft: number, documentReason = ''): string => {
    switch (reason) {
      case 'DOCUMENT':
        return reasons.withAttemptsLeft(documentReason, attemptsLeft);
      case 'NO_MATCH':
        return kind === 'ONBOARDING'
          ? `The face in the liveness check does not match the photo on the ID. Start a new liveness check in good, even light, looking straight at the camera (${left(attemptsLeft)}).`
          : `We could not sign you in with this face and email. Start a new liveness check in good, even light (${left(attemptsLeft)}).`;
      case 'LIVENESS_FAILED':
        return `The liveness check could not confirm a live person in front of the camera. Start a new one: alone, in good, even light, moving into the oval as it asks (${left(attemptsLeft)}).`;
      case 'LIVENESS_OTHER_SESSION':
        return `That liveness check belongs to another verification: only a check started for this one counts. Start a new liveness check (${left(attemptsLeft)}).`;
      case 'REFERENCE_IMAGE_REUSED':
        return `This image of your face was already used for a verification: only a new liveness check counts. Start a new one (${left(attemptsLeft)}).`;
      case 'SAME_PICTURE_AS_ID':
        return `The image from the liveness check is the photo on your ID, not you in front of the camera. Start a new liveness check and show your own face (${left(attemptsLeft)}).`;
      case 'SAME_PICTURE_AS_REFERENCE_FACE':
        return `The image from the liveness check is a copy of your saved face, not you in front of the camera. Start a new liveness check (${left(attemptsLeft)}).`;
    }
  },
  livenessExpired: 'The liveness check expired before it was submitted (it lasts 3 minutes). Start a new one: it cost no attempt.',
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
  withAttemptsLeft: (reason: string, attemptsLeft: number) => `${reason} (${left(attemptsLeft)})`,
  documentInReview: 'Your ID could not be read well enough to check it automatically: an administrator will review your verification. You will get an email.',
  inReview: 'The faces are close but not certain: an administrator will review your verification. You will get an email.',
  expired: 'This session expired before it was finished; its images were deleted. Start again.',
  interrupted: 'The check was interrupted before it finished. Start a new liveness check and submit again: it cost no attempt.',
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
    text: `Hello${name ? ` ${name}` : ''},\n\nAn administrator reviewed your identity verification and could not confirm it. Your images were deleted.\nYou may start again with a clearer photo of your ID and a new liveness check.\n`,
  }),
};
