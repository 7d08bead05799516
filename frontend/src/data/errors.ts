/**
 * One shape for every failure the app shows: AppSync's `errorType` (ValidationError,
 * ConflictError, RateLimited, …), its message, and the `data` some errors carry (the current task
 * of a ConflictError, `retryAfterSeconds` of RateLimited). Whatever the transport said, a person
 * gets a sentence, never a stack trace.
 */
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

export interface ApiError {
  /** AppSync's errorType; `NetworkError` when the API could not be reached. */
  type: string;
  message: string;
  /** The error's `data` (ConflictError: the current task). */
  data?: unknown;
  /** The error's `errorInfo` (field, retryAfterSeconds…). */
  info?: Record<string, unknown>;
}

interface AppSyncError {
  message?: string;
  errorType?: string;
  data?: unknown;
  errorInfo?: Record<string, unknown> | null;
}

function fromAppSync(error: AppSyncError): ApiError {
  return {
    type: error.errorType ?? 'Error',
    message: error.message ?? 'Something went wrong.',
    data: error.data ?? undefined,
    info: error.errorInfo ?? undefined,
  };
}

/** The first error of a failed request, as the app shows it. */
export function apiError(error: unknown): ApiError {
  if (CombinedGraphQLErrors.is(error)) return fromAppSync(error.errors[0] as AppSyncError);
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: AppSyncError[] };
      if (body.errors?.[0]) return fromAppSync(body.errors[0]);
    } catch {
      // Not JSON: fall through to the status.
    }
    if (error.statusCode === 401) return { type: 'UnauthorizedException', message: 'Your session has ended. Sign in again.' };
    return { type: 'ServerError', message: `The server answered ${error.statusCode}. Try again in a moment.` };
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return { type: 'NetworkError', message: 'SecureTask cannot be reached. Check your connection; it will retry.' };
  }
  return { type: 'Error', message: error instanceof Error ? error.message : 'Something went wrong.' };
}

/** True when the session token was refused (expired, revoked, or the user disabled). */
export function isSessionRefused(error: ApiError): boolean {
  return error.type === 'UnauthorizedException' || (error.type === 'Unauthorized' && /token|session|sign in/i.test(error.message));
}
