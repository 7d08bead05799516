import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * The record Lambda sends to an on-failure destination once an asynchronous invocation has used
 * its retries (the body of the SQS message in AWS), as documented in "Capturing records of Lambda
 * asynchronous invocations": https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export interface OnFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: 'RetriesExhausted'; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext: { statusCode: 200; executedVersion: '$LATEST'; functionError: 'Unhandled' };
  responsePayload: { errorType: string; errorMessage: string };
}

/** Options of {@link createAsyncInvoker}. */
export interface AsyncInvokerOptions {
  /** Runs the function once (Lambda's synchronous invoke); a rejection is a function error. */
  invoke(name: string, event: unknown): Promise<unknown>;
  /** The ARN the on-failure record names. */
  functionArn(name: string): string;
  /** Lambda's `MaximumRetryAttempts` (0-2); AWS's default, 2. */
  maximumRetryAttempts?: number;
  /**
   * Wait before retry n (1-based). Lambda waits about one minute, then two; the default here is
   * 100 ms, then 200 ms, so that local runs and tests do not wait minutes for the same behaviour.
   */
  retryDelayMs?(retry: number): number;
  /** Folder of the on-failure destinations: one `<function>-on-failure.jsonl` per function. */
  onFailureDir: string;
  /** Structured (JSON) lines: retries and records sent to the on-failure destination. */
  log(line: string): void;
}

/** Lambda's asynchronous invocation (`InvocationType: Event`), the way SNS and EventBridge call functions. */
export interface AsyncInvoker {
  /** Queues an invocation and returns its request id at once; the function runs soon after. */
  invokeAsync(name: string, event: unknown): string;
  /** Resolves when nothing is queued, running or waiting to be retried. */
  idle(): Promise<void>;
}

/**
 * Invokes functions as Lambda's asynchronous invocation does: the caller gets an answer as soon
 * as the event is queued; each event runs on its own, concurrently with the others and with no
 * order promised between them; a function error is retried `maximumRetryAttempts` times after a
 * wait; then the event and the error go, as an {@link OnFailureRecord}, to the function's
 * on-failure destination (a JSON lines file here, an SQS queue in AWS). Handlers must therefore
 * be idempotent and must not rely on the order of events, exactly as in AWS.
 */
export function createAsyncInvoker(options: AsyncInvokerOptions): AsyncInvoker {
  const maximumRetryAttempts = options.maximumRetryAttempts ?? 2;
  if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < 0 || maximumRetryAttempts > 2) {
    throw new Error(`MaximumRetryAttempts must be 0, 1 or 2, as Lambda allows, got ${maximumRetryAttempts}`);
  }
  const retryDelayMs = options.retryDelayMs ?? ((retry: number) => 100 * 2 ** (retry - 1));
  let inFlight = 0;
  let waiters: (() => void)[] = [];

  const settle = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const wake = waiters;
    waiters = [];
    for (const resolve of wake) resolve();
  };

  const run = async (name: string, event: unknown, requestId: string): Promise<void> => {
    const invokeCount = maximumRetryAttempts + 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= invokeCount; attempt++) {
      try {
        await options.invoke(name, event);
        return;
      } catch (error) {
        lastError = error;
        if (attempt === invokeCount) break;
        const delayMs = retryDelayMs(attempt);
        options.log(JSON.stringify({ level: 'warn', msg: 'async invocation failed; retrying', function: name, requestId, attempt, delayMs, error: describe(error) }));
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    await sendToOnFailure(name, event, requestId, invokeCount, lastError);
  };

  const sendToOnFailure = async (name: string, event: unknown, requestId: string, invokeCount: number, error: unknown): Promise<void> => {
    const record: OnFailureRecord = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId, functionArn: `${options.functionArn(name)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: invokeCount },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: errorType(error), errorMessage: error instanceof Error ? error.message : String(error) },
    };
    const file = join(options.onFailureDir, `${name}-on-failure.jsonl`);
    try {
      await mkdir(options.onFailureDir, { recursive: true });
      await appendFile(file, `${JSON.stringify(record)}\n`);
      options.log(JSON.stringify({ level: 'error', msg: 'async invocation retries exhausted; sent to the on-failure destination', function: name, requestId, attempts: invokeCount, file, error: describe(error) }));
    } catch (writeError) {
      options.log(JSON.stringify({ level: 'error', msg: 'writing to the on-failure destination failed', function: name, file, error: describe(writeError), record }));
    }
  };

  return {
    invokeAsync(name, event) {
      const requestId = randomUUID();
      inFlight += 1;
      // Each invocation deserialises its own copy of the event, as Lambda's would.
      const copy = structuredClone(event);
      setImmediate(() => void run(name, copy, requestId).finally(settle));
      return requestId;
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}

function errorType(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'Error';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
