/** The `errorType`s a verification field answers with; each is part of the API's contract. */
export type VerificationErrorType =
  | 'ValidationError'
  | 'Unauthorized'
  | 'NotFound'
  | 'ConflictError'
  | 'RateLimited'
  | 'InvalidImage'
  | 'ServiceUnavailable';

/**
 * A refusal the person (or client) should see as it is: `type` becomes the GraphQL error's
 * `errorType`, `message` its message, `data` its data (the session as it now stands, a retry
 * delay). Anything else thrown inside the function is logged and answered as a generic failure.
 */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  constructor(
    readonly type: VerificationErrorType,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}
