import type { DataSource } from './datasources/index.ts';
import type { AuthTypeName, SandboxedModule } from './runtime/sandbox.ts';
import { EarlyReturn, type InvocationState } from './runtime/runtime-module.ts';
import { ResolverError } from './runtime/util.ts';
import { FieldError } from './errors.ts';
import { toJsonValue } from './json-value.ts';
import type { AppSyncInfo } from './info.ts';

/** A resolver ready to run: its module and where its data comes from. */
export type LoadedResolver =
  | { kind: 'UNIT'; module: SandboxedModule; dataSource: DataSource }
  | { kind: 'PIPELINE'; module: SandboxedModule; functions: { module: SandboxedModule; dataSource: DataSource }[] };

/** Everything a resolver invocation sees as `ctx`, but the parts the runner fills in. */
export interface ResolverInput {
  arguments: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  request: { headers: Record<string, string>; domainName: string | null };
  info: AppSyncInfo;
  env: Record<string, string>;
  authType: AuthTypeName;
}

/** The field's value and the errors appended on the way. */
export interface ResolverOutcome {
  value: unknown;
  appendedErrors: InvocationState['appendedErrors'];
  /** Subscription filter or invalidation requests left by the handlers. */
  extensions: Pick<InvocationState, 'subscriptionFilter' | 'subscriptionInvalidationFilter' | 'invalidations'>;
}

/**
 * Runs a unit or pipeline resolver with AppSync's semantics: `ctx.stash` shared through the
 * pipeline, `ctx.prev.result` handed on, `runtime.earlyReturn` skipping as documented, and a
 * data-source error left in `ctx.error` unless a handler raises it. Throws `FieldError`.
 */
export async function runResolver(resolver: LoadedResolver, input: ResolverInput): Promise<ResolverOutcome> {
  const stash: Record<string, unknown> = {};
  const args = deepFreeze(structuredClone(input.arguments));
  const outcome: ResolverOutcome = { value: null, appendedErrors: [], extensions: { invalidations: [] } };

  const call = (module: SandboxedModule, handler: 'request' | 'response', extra: Record<string, unknown>) => {
    const ctx = Object.freeze({
      arguments: args,
      args,
      identity: input.identity,
      source: input.source,
      stash,
      request: input.request,
      info: input.info,
      env: input.env,
      result: null,
      prev: Object.freeze({ result: null }),
      error: undefined,
      ...extra,
    });
    try {
      const { value, state } = module.call(handler, ctx, input.authType);
      collect(outcome, state);
      return { value: toJsonValue(value), early: undefined as EarlyReturn | undefined };
    } catch (thrown) {
      if (thrown instanceof EarlyReturn) return { value: toJsonValue(thrown.value), early: thrown };
      throw asFieldError(thrown, module.entry, handler);
    }
  };

  /** Request, data source, response: one unit resolver or one pipeline function. */
  const runStep = async (module: SandboxedModule, dataSource: DataSource, prev: unknown) => {
    const request = call(module, 'request', { prev: Object.freeze({ result: prev }) });
    if (request.early) return request;
    // Data sources hand back fresh plain JSON already; only sandbox values need copying out.
    const { result, error } = await dataSource.invoke(request.value);
    return call(module, 'response', { prev: Object.freeze({ result: prev }), result, error });
  };

  if (resolver.kind === 'UNIT') {
    outcome.value = (await runStep(resolver.module, resolver.dataSource, null)).value;
    return outcome;
  }

  let prev = call(resolver.module, 'request', {});
  if (!prev.early) {
    for (const fn of resolver.functions) {
      const step = await runStep(fn.module, fn.dataSource, prev.value);
      prev = step;
      if (step.early?.skipTo === 'END') break;
    }
  }
  outcome.value = call(resolver.module, 'response', { prev: Object.freeze({ result: prev.value }) }).value;
  return outcome;
}

function collect(outcome: ResolverOutcome, state: InvocationState): void {
  outcome.appendedErrors.push(...state.appendedErrors);
  if (state.subscriptionFilter !== undefined) outcome.extensions.subscriptionFilter = state.subscriptionFilter;
  if (state.subscriptionInvalidationFilter !== undefined) {
    outcome.extensions.subscriptionInvalidationFilter = state.subscriptionInvalidationFilter;
  }
  outcome.extensions.invalidations.push(...state.invalidations);
}

function asFieldError(thrown: unknown, entry: string, handler: string): FieldError {
  if (thrown instanceof ResolverError) {
    return new FieldError(thrown.message, thrown.errorType ?? null, thrown.data ?? null, thrown.errorInfo ?? null);
  }
  // A bug in resolver code: say where, never how the runtime is built.
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new FieldError(`Runtime error in ${entry} (${handler}): ${message}`, 'Code');
}


function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
