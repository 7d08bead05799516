import { pathToFileURL } from 'node:url';
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
}

/**
 * A local Lambda: imports every function's handler and invokes it in this process, with a fresh
 * context per call and its timeout enforced (see `invokeInProcess`).
 *
 * The functions share this process and so one `process.env`: their environments are put there
 * together, once, before any of them runs, and two functions that disagree on a variable are
 * refused rather than one of them silently running with the other's value. (A worker thread per
 * function would give each its own, as Lambda does; measured here, each worker loads its own
 * TypeScript loader and AWS SDK, 1.7-4.5 s per function on a busy two-core machine, where this
 * process loads them once. See README.md.)
 */
export async function startLocalLambda(options: LocalLambdaOptions): Promise<LocalLambda> {
  putEnvironments(options.functions);
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
      return invokeInProcess(handler, event, { functionName: fn.functionName, timeoutSeconds: fn.timeoutSeconds, region: options.region, accountId: options.accountId });
    },
  };
}

function putEnvironments(functions: Record<string, LocalFunction>): void {
  const merged = new Map<string, { value: string; from: string }>();
  for (const [name, fn] of Object.entries(functions)) {
    for (const [variable, value] of Object.entries(fn.environment)) {
      const seen = merged.get(variable);
      if (seen && seen.value !== value) throw new Error(`${name} and ${seen.from} need different values of ${variable}, and run in one process here`);
      merged.set(variable, { value, from: name });
    }
  }
  for (const [variable, { value }] of merged) process.env[variable] = value;
}
