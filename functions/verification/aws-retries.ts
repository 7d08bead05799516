/**
 * How the verify function calls an AWS service that may throttle (Rekognition, Textract, STS): one
 * policy of retries, in one place, so that the SDK's own retries (turned off with
 * `maxAttempts: 1`) do not multiply it and the unit tests see it through aws-sdk-client-mock.
 */

/** How throttled and failed calls are retried: exponential backoff with full jitter. */
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

/** The throttling errors the services answer (STS's query protocol says `Throttling`), retried and then reported as THROTTLED. */
export const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'Throttling']);
/** Failures worth a second try: the service's own, and a connection that broke on the way. */
export const TRANSIENT = new Set(['InternalServerError', 'ServiceUnavailable', 'TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
/** Errors that mean our identity or permissions are wrong: an operator must look (STS says `AccessDenied`, `InvalidClientTokenId`). */
export const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'CredentialsProviderError']);

/** The policy with its defaults: 4 attempts, backoff ceilings 100, 200, 400 ms (capped at 2 s), full jitter. */
export function retryPolicy(given: RetryPolicy = {}): Required<RetryPolicy> {
  return {
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 2000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    ...given,
  };
}

/**
 * Runs `send` under `policy`, retrying throttling, transient and server faults; the last error
 * goes to `fail` with the number of attempts made, which turns it into the caller's typed error.
 */
export async function withRetries<T>(policy: Required<RetryPolicy>, send: () => Promise<T>, fail: (error: unknown, attempts: number) => Error): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs, sleep, random } = policy;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const name = errorName(error);
      const retryable = THROTTLING.has(name) || TRANSIENT.has(name) || serverFault(error);
      if (!retryable || attempt >= attempts) throw fail(error, attempt);
      // Full jitter: anywhere between 0 and the ceiling, so that throttled callers spread out.
      await sleep(Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))));
    }
  }
}

/** The SDK's error name (`InvalidParameterException`), or a Node network error code. */
export function errorName(error: unknown): string {
  if (!(error instanceof Error)) return '';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && error.name === 'Error' ? code : error.name;
}

function serverFault(error: unknown): boolean {
  return (error as { $fault?: unknown } | undefined)?.$fault === 'server';
}
