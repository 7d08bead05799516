/**
 * Each function's own environment while it runs. Lambda gives every function a process of its
 * own, so `process.env` is its environment alone; here the functions share one process. Variables
 * they all agree on are put in `process.env` once (code that reads them when it is imported sees
 * them); during an invocation, `process.env` reads that function's own environment first (through
 * an `AsyncLocalStorage` that follows the invocation's promises), so two functions may hold
 * different values of one variable: each its own credentials, as each Lambda function has its role's.
 * A variable that only other functions define is unset during an invocation, as in the function's
 * own Lambda: code that needs a setting its function is not given fails here, not first in AWS.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<Readonly<Record<string, string>>>();
const INSTALLED = Symbol.for('securetask.local.invocationEnvironment');
/** Every variable some function's environment defines: in an invocation, one not its own is unset. */
const functionVariables = new Set<string>();

/** What `process.env[key]` is during an invocation with environment `own`: its own value, or, for another function's variable, nothing. */
function ownValue(own: Readonly<Record<string, string>> | undefined, key: string | symbol): { value: string | undefined } | undefined {
  if (!own || typeof key !== 'string') return undefined;
  if (Object.hasOwn(own, key)) return { value: own[key] };
  return functionVariables.has(key) ? { value: undefined } : undefined;
}

/**
 * Makes `process.env` read the running invocation's environment first. Installed once per process;
 * outside an invocation, and for writes, enumeration and deletion, `process.env` is as it was.
 */
function install(): void {
  const env = process.env as NodeJS.ProcessEnv & { [INSTALLED]?: true };
  if (env[INSTALLED]) return;
  const real = process.env;
  process.env = new Proxy(real, {
    get(target, key) {
      if (key === INSTALLED) return true;
      const own = ownValue(current.getStore(), key);
      return own ? own.value : Reflect.get(target, key);
    },
    has(target, key) {
      const own = ownValue(current.getStore(), key);
      return own ? own.value !== undefined : Reflect.has(target, key);
    },
    // Set on the real object itself: with the proxy as receiver, `process.env` refuses the write.
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
  });
}

/**
 * Puts what every function agrees on into `process.env`, for code that reads a variable when it is
 * imported, and returns each function's whole environment, read first during its invocations: so
 * a function sees its own values even where others differ (credentials), and even when a second
 * runtime in the same process (tests) has put its own values in `process.env` since.
 */
export function shareEnvironments(environments: Record<string, Record<string, string>>): Record<string, Record<string, string>> {
  install();
  const values = new Map<string, Set<string>>();
  for (const environment of Object.values(environments)) {
    for (const [variable, value] of Object.entries(environment)) {
      values.set(variable, (values.get(variable) ?? new Set()).add(value));
      functionVariables.add(variable);
    }
  }
  for (const [variable, seen] of values) if (seen.size === 1) process.env[variable] = [...seen][0];
  return Object.fromEntries(Object.entries(environments).map(([name, environment]) => [name, Object.freeze({ ...environment })]));
}

/** Runs `work` with `environment` read first from `process.env`, for every promise it starts. */
export function withEnvironment<T>(environment: Readonly<Record<string, string>>, work: () => T): T {
  return current.run(environment, work);
}
