import { pathToFileURL } from 'node:url';
import { shareEnvironments, withEnvironment } from './environment.ts';
import { invokeInProcess, type LambdaHandler } from './invoke.ts';

/** One function as the local Lambda runs it: its code, its timeout and its environment. */
export interface LocalFunction {
  /** Absolute path of the module that exports `handler`. */
  entry: string;
  /** Lambda's `FunctionName`. */
  functionName: string;
  timeoutSeconds: number;
  /** Its environment variables, as Lambda's `Environment.Variables`. */
  environment: Record<string, string>;
}

/** Options of {@link startLocalLambda}. */
export interface LocalLambdaOptions {
  /** By the name callers invoke them with. */
  functions: Record<string, LocalFunction>;
  region: string;
  accountId: string;
}

/** The running functions: invoke one by name, as Lambda's Invoke would. */
export interface LocalLambda {
  /** Runs `name` with `event`; throws `LambdaInvocationError` as Lambda reports a failure (synchronously for an unknown name). */
  invoke(name: string, event: unknown): Promise<unknown>;
  /** Runs `work` in function `name`'s environment (its credentials, its variables), as if it were its code: for tests. */
  runAs<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/**
 * A local Lambda: imports every function's handler and invokes it in this process, with a fresh
 * context per call and its timeout enforced (see `invokeInProcess`).
 *
 * The functions share this process and so one `process.env`: what they all agree on is put
 * there once, before any of them runs, and during an invocation `process.env` reads the
 * function's own values first (environment.ts), so each runs with its own credentials and
 * variables as in Lambda. (A worker thread per function would give each its own process-like
 * environment; measured here, each worker loads its own TypeScript loader and AWS SDK, 1.7-4.5 s
 * per function on a busy two-core machine, where this process loads them once. See README.md.)
 */
export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  const own = shareEnvironments(Object.fromEntries(Object.entries(options.functions).map(([name, fn]) => [name, fn.environment])));
  const handlers = new Map<string, LambdaHandler>();
  for (const [name, fn] of Object.entries(options.functions)) {
    const module = (await import(pathToFileURL(fn.entry).href)) as { handler?: LambdaHandler };
    if (typeof module.handler !== 'function') throw new Error(`${fn.entry} does not export a handler function`);
    handlers.set(name, module.handler);
  }
  return {
    invoke(name, event) {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`no function named "${name}"`);
      const fn = options.functions[name];
      return withEnvironment(own[name], () =>
        invokeInProcess(handler, event, { functionName: fn.functionName, timeoutSeconds: fn.timeoutSeconds, region: options.region, accountId: options.accountId }),
      );
    },
    runAs(name, work) {
      if (!own[name]) throw new Error(`no function named "${name}"`);
      return withEnvironment(own[name], work);
    },
  };
}
