/**
 * What went wrong in a verification, as the screens show it: the API's message (written for
 * people, see docs/verification.md), what to do next (retake a photo, wait, try again, start
 * over) and, for the first form, which field it belongs to.
 */
import type { UploadPurpose, Verification } from './api.ts';
import { apiError, type ApiError } from '../data/errors.ts';
import { UploadError } from './upload.ts';

export interface Problem {
  /** AppSync's errorType, or UploadError / NetworkError. */
  type: string;
  message: string;
  /** The form field it is about (startVerification's ValidationError). */
  field?: 'name' | 'email' | 'consent';
  /** The photos to take again before trying again. */
  retake: UploadPurpose[];
  /** RateLimited: when trying again makes sense, epoch ms. */
  retryAt?: number;
  /** What a "Try again" does: send the photos again, ask for the decision again, or start over. */
  retry?: 'upload' | 'submit' | 'start';
  /** The session as the error says it now stands (InvalidImage carries it). */
  verification?: Verification;
}

interface ErrorData {
  reason?: string;
  missing?: UploadPurpose;
  retryAfterSeconds?: number;
  state?: string;
  verification?: Verification | null;
}

/** Image refusals that concern the ID photo; the others concern the selfie (or say which in words). */
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
      if (data.missing) {
        problem.retake = [data.missing];
        problem.retry = 'upload';
      }
      break;
    case 'InvalidImage':
      problem.retake = [imageOf(api.message, data.reason)];
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

function imageOf(message: string, reason: string | undefined): UploadPurpose {
  if (reason && ID_REASONS.has(reason)) return 'ID_DOCUMENT';
  return /\bID\b/.test(message) ? 'ID_DOCUMENT' : 'SELFIE';
}

/** True for the errors that say the session is not where this page thought (re-read it). */
export function isStale(problem: Pick<ApiError, 'type'>): boolean {
  return problem.type === 'ConflictError';
}
