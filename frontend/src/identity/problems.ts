/**
 * What went wrong in a verification, as the screens show it: the API's message (written for
 * people, see docs/verification.md), what to do next (retake the ID photo, run a new liveness
 * check, wait, try again, start over) and, for the first form, which field it belongs to.
 */
import type { UploadPurpose, Verification } from './api.ts';
import { apiError, type ApiError } from '../data/errors.ts';
import { UploadError } from './upload.ts';

export interface Problem {
  /** AppSync's errorType, or UploadError / NetworkError / LivenessError (the check in the browser). */
  type: string;
  message: string;
  /** The form field it is about (startVerification's ValidationError). */
  field?: 'name' | 'email' | 'consent';
  /** The photos to take again before trying again (the ID photo: the face comes from a liveness check). */
  retake: UploadPurpose[];
  /** RateLimited: when trying again makes sense, epoch ms. */
  retryAt?: number;
  /** What a "Try again" does: send the photos again, ask for the decision again, run a new liveness check, or start over. */
  retry?: 'upload' | 'submit' | 'liveness' | 'start';
  /** LivenessError: the component's error state (TIMEOUT, MULTIPLE_FACES_ERROR, ...). */
  livenessState?: string;
  /** The session as the error says it now stands (InvalidImage carries it). */
  verification?: Verification;
}

interface ErrorData {
  reason?: string;
  missing?: UploadPurpose | 'LIVENESS';
  retryAfterSeconds?: number;
  state?: string;
  verification?: Verification | null;
}

/** Image refusals that concern the ID photo; the others concern the liveness check's image (or say which in words). */
const ID_REASONS = new Set(['NO_FACE_ON_ID']);

/** The problem of a failed call; `now` is injectable for tests. */
export function problemOf(error: unknown, now = Date.now()): Problem {
  if (error instanceof UploadError) return { type: 'UploadError', message: error.message, retake: [], retry: 'upload' };
  const api = apiError(error);
  const data = (api.data ?? {}) as ErrorData;
  const problem: Problem = { type: api.type, message: api.message, retake: [] };
  switch (api.type) {
    case 'ValidationError':
      problem.field = fieldOf(api.message);
      if (data.missing === 'LIVENESS') problem.retry = 'liveness';
      else if (data.missing) {
        problem.retake = [data.missing];
        problem.retry = 'upload';
      }
      break;
    case 'InvalidImage':
      if (isAboutId(api.message, data.reason)) problem.retake = ['ID_DOCUMENT'];
      else problem.retry = 'liveness';
      if (data.verification) problem.verification = data.verification;
      break;
    case 'RateLimited': {
      const seconds = Number(data.retryAfterSeconds ?? api.info?.retryAfterSeconds);
      if (Number.isFinite(seconds) && seconds > 0) problem.retryAt = now + seconds * 1000;
      break;
    }
    case 'ServiceUnavailable':
    case 'InternalFailure':
    case 'NetworkError':
    case 'ServerError':
      problem.retry = 'submit';
      break;
    case 'NotFound':
      problem.message = 'This verification session no longer exists. Start again.';
      problem.retry = 'start';
      break;
  }
  return problem;
}

function fieldOf(message: string): Problem['field'] {
  if (/consent/i.test(message)) return 'consent';
  if (/email/i.test(message)) return 'email';
  if (/name/i.test(message)) return 'name';
  return undefined;
}

function isAboutId(message: string, reason: string | undefined): boolean {
  if (reason && ID_REASONS.has(reason)) return true;
  return /\bID\b/.test(message) && !/liveness/i.test(message);
}

/** True for the errors that say the session is not where this page thought (re-read it). */
export function isStale(problem: Pick<ApiError, 'type'>): boolean {
  return problem.type === 'ConflictError';
}

/**
 * Whether a REQUIRES_INPUT reason is about the ID photo (a document check that failed: expired,
 * another name, not a document) rather than the liveness check: the API's reasons about the face
 * all name the liveness check.
 */
export function reasonIsAboutTheId(reason: string | null | undefined): boolean {
  return !!reason && /\bID\b/.test(reason) && !/liveness check/i.test(reason);
}
