import { randomUUID } from 'node:crypto';
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
 * Invokes a handler in this process the way Lambda would: a fresh context per call, its
 * deadline enforced, and a failure reported as Lambda reports it.
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaInvocationError('Lambda:Timeout', `Task timed out after ${options.timeoutSeconds} seconds`)),
      options.timeoutSeconds * 1000,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(structuredClone(event), context)), timeout]);
  } catch (error) {
    if (error instanceof LambdaInvocationError) throw error;
    throw new LambdaInvocationError('Lambda:Unhandled', error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
