import vm from 'node:vm';
import { transform } from 'esbuild';
import { createUtil } from './util.ts';
import { dynamodbModule } from './dynamodb-module.ts';
import { createExtensions, createRuntime, type InvocationState } from './runtime-module.ts';

/**
 * How long one handler may run. APPSYNC_JS code always terminates (the load-time rules ban
 * `while`, `for(;;)` and recursion), so the limit is checked when the handler returns: a
 * handler over it fails as AppSync would fail it. vm's own `timeout` would stop it sooner but
 * starts a watchdog thread per call (~0.2 ms), which is most of a request's cost.
 */
export function handlerTimeLimitMs(): number {
  return Number(process.env.SECURETASK_HANDLER_TIME_LIMIT_MS || 1_000);
}

/** A handler that ran longer than AppSync allows. */
export class HandlerTimeLimitError extends Error {
  constructor(entry: string, handler: string, elapsedMs: number, limitMs: number) {
    super(`${entry} (${handler}) ran for ${Math.round(elapsedMs)} ms; handlers are limited to ${limitMs} ms`);
    this.name = 'HandlerTimeLimitError';
  }
}

/** The identity of the caller, as `util.authType()` reports it. */
export type AuthTypeName = 'API Key Authorization' | 'IAM Authorization' | 'Lambda Authorization';

/** A loaded APPSYNC_JS module: call its `request` or `response` with a context. */
export interface SandboxedModule {
  readonly entry: string;
  has(handler: 'request' | 'response'): boolean;
  /**
   * Runs one handler. Returns its value and what it appended; throws what the handler threw
   * (`ResolverError`, `EarlyReturn`, or a runtime error).
   */
  call(handler: 'request' | 'response', ctx: unknown, authType: AuthTypeName): { value: unknown; state: InvocationState };
}

/**
 * Loads a bundled resolver into its own `node:vm` context with real `util`, `runtime`,
 * `extensions` and `@aws-appsync/utils/dynamodb`.
 *
 * The ESM bundle is turned into a CommonJS body (the same code, only the module wrapper
 * differs) because `vm.SourceTextModule` still needs `--experimental-vm-modules`.
 */
/** An APPSYNC_JS module as AppSync receives it: one bundled ES module. */
export interface ResolverModuleSource {
  /** Where it came from, for errors and stack traces (`resolvers/Query.tasks.ts`). */
  entry: string;
  /** The bundled ES module. */
  code: string;
}

export async function loadSandboxedModule(bundle: ResolverModuleSource): Promise<SandboxedModule> {
  const { code } = await transform(bundle.code, { format: 'cjs', loader: 'js', sourcemap: 'inline', target: 'esnext' });

  let state: InvocationState | undefined;
  let authType: AuthTypeName = 'Lambda Authorization';
  const current = (): InvocationState => {
    if (!state) throw new Error('AppSync utilities can only be used while a handler runs');
    return state;
  };
  const util = createUtil({
    appendError: (error) => current().appendedErrors.push(error),
    authType: () => authType,
  });
  const modules: Record<string, unknown> = {
    '@aws-appsync/utils': { util, runtime: createRuntime(), extensions: createExtensions(current) },
    '@aws-appsync/utils/dynamodb': dynamodbModule,
  };
  const sandboxRequire = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`${bundle.entry}: module "${name}" is not available in the APPSYNC_JS runtime`);
  };

  const context = vm.createContext({ console: sandboxConsole(bundle.entry) }, { codeGeneration: { strings: false, wasm: false } });
  // ES modules are strict; the CommonJS body must be too (a write to frozen ctx.args throws).
  const wrapper = new vm.Script(`(function (exports, require, module) {'use strict';${code}\n})`, { filename: bundle.entry });
  const moduleObject = { exports: {} as Record<string, unknown> };
  (wrapper.runInContext(context) as Function)(moduleObject.exports, sandboxRequire, moduleObject);
  const exported = moduleObject.exports;


  return {
    entry: bundle.entry,
    has: (handler) => typeof exported[handler] === 'function',
    call(handler, ctx, callerAuthType) {
      const fn = exported[handler] as (ctx: unknown) => unknown;
      state = { appendedErrors: [], invalidations: [] };
      authType = callerAuthType;
      const invocation = state;
      const started = performance.now();
      let outcome: { value: unknown } | { thrown: unknown };
      try {
        outcome = { value: fn(ctx) };
      } catch (thrown) {
        outcome = { thrown };
      }
      state = undefined;
      const elapsed = performance.now() - started;
      const limit = handlerTimeLimitMs();
      if (elapsed > limit) throw new HandlerTimeLimitError(bundle.entry, handler, elapsed, limit);
      if ('thrown' in outcome) throw outcome.thrown;
      return { value: outcome.value, state: invocation };
    },
  };
}

/** `console` inside resolvers: lines go to the runtime's log, tagged with the file (as CloudWatch would). */
function sandboxConsole(entry: string) {
  const write = (level: string) => (...args: unknown[]) => {
    if (process.env.SECURETASK_RESOLVER_LOGS === 'off') return;
    process.stderr.write(JSON.stringify({ level, source: entry, message: args.map(String).join(' ') }) + '\n');
  };
  return { log: write('info'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
}
