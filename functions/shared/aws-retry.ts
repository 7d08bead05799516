/**
 * One retry policy for the AWS calls whose failures a person sees (Rekognition's CompareFaces,
 * its Face Liveness calls, STS): exponential backoff with full jitter on throttling and
 * transient faults, nothing else retried. Clients are built with `maxAttempts: 1`, so this is
 * the only layer that retries, the policy is in one place, and unit tests (aws-sdk-client-mock
 * replaces `send`, and with it the SDK's own retry middleware) see exactly what AWS would get.
 */

/** How throttled and failed calls are retried. */
export interface RetryPolicy {
  /** Calls in all, the first included; default 4. */
  attempts?: number;
  /** The first backoff ceiling in ms, doubled each retry; default 100. */
  baseDelayMs?: number;
  /** The largest backoff ceiling in ms; default 2000. */
  maxDelayMs?: number;
  /** Waits; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** AWS's throttling errors: retried, then reported as throttled. */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'Throttling']);
/** Failures worth a second try: the service's own, and a connection that broke on the way. */
export const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(['InternalServerError', 'InternalServerErrorException', 'ServiceUnavailable', 'TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
/** Errors that mean our identity or permissions are wrong: an operator must look. */
export const DENIED_ERRORS: ReadonlySet<string> = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'CredentialsProviderError']);

/** The SDK's error name (`InvalidParameterException`), or a Node network error code. */
export function awsErrorName(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && error.name === 'Error' ? code : error.name;
}

/** Whether the service said the fault was its own (HTTP 5xx). */
export function isServerFault(error: unknown): boolean {
  return (error as { $fault?: unknown } | undefined)?.$fault === 'server';
}

/** Whether a failed call may succeed if tried again. */
export function isRetryable(error: unknown): boolean {
  const name = awsErrorName(error);
  return THROTTLING_ERRORS.has(name) || TRANSIENT_ERRORS.has(name) || isServerFault(error);
}

/** A policy with every default filled in. */
export function retryPolicy(policy: RetryPolicy = {}): Required<RetryPolicy> {
  return {
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 2000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    ...policy,
  };
}

/**
 * Runs `send`, retrying what {@link isRetryable} allows; when it gives up, throws what
 * `toError(lastError, callsMade)` makes of the last failure.
 */
export async function withRetries<T>(send: () => Promise<T>, policy: Required<RetryPolicy>, toError: (error: unknown, calls: number) => Error): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs, sleep, random } = policy;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw toError(error, attempt);
      // Full jitter: anywhere between 0 and the ceiling, so that throttled callers spread out.
      await sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
    }
  }
}
