import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import { SecureTaskError } from '../../../lib/errors.ts';

/** A Lambda handler as the functions in `functions/` export it. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown> | unknown;

/** The parts of Lambda's context object that handlers use. */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** A Lambda that failed: `code` is what Lambda reports as the error type (`Lambda:Unhandled`, `Lambda:Timeout`). */
export class LambdaInvocationError extends SecureTaskError {
  constructor(
    readonly code: 'Lambda:Unhandled' | 'Lambda:Timeout',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Lambda's per-invocation store, as the Node.js runtime provides it to code that runs several
 * invocations at once in one process (`AWS_LAMBDA_MAX_CONCURRENCY`): each invocation runs in its
 * own async context holding its request id. The local runtime runs every function in one process,
 * many at a time, so it sets it up the same way; Powertools' Logger keeps each invocation's
 * context (request id, cold start) there instead of in one shared slot.
 */
const invokeStore = InvokeStore.getInstanceAsync(true).then((store) => {
  // Said once the store exists: code that sees the variable looks for the store.
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '1000';
  return store;
});

/**
 * Invokes a handler in this process the way Lambda would: a fresh context per call, in its own
 * invocation store, its deadline enforced, and a failure reported as Lambda reports it.
 */
export async function invokeInProcess(
  handler: LambdaHandler,
  event: unknown,
  options: { functionName: string; timeoutSeconds: number; region: string; accountId: string },
): Promise<unknown> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  const context: LambdaContext = {
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const store = await invokeStore;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaInvocationError('Lambda:Timeout', `Task timed out after ${options.timeoutSeconds} seconds`)),
      options.timeoutSeconds * 1000,
    );
  });
  const run = () => store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(structuredClone(event), context));
  try {
    return await Promise.race([Promise.resolve().then(run), timeout]);
  } catch (error) {
    if (error instanceof LambdaInvocationError) throw error;
    throw new LambdaInvocationError('Lambda:Unhandled', error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
