/**
 * `runtime` and `extensions` of `@aws-appsync/utils`. Both act on the invocation that is
 * running now, which the sandbox tracks in `InvocationState`.
 */

/** What a handler can leave behind besides its return value. */
export interface InvocationState {
  /** Errors from `util.appendError`, in order. */
  appendedErrors: { message: string; errorType?: string; data?: unknown; errorInfo?: unknown }[];
  /** Set by `extensions.setSubscriptionFilter`. */
  subscriptionFilter?: unknown;
  /** Set by `extensions.setSubscriptionInvalidationFilter`. */
  subscriptionInvalidationFilter?: unknown;
  /** Requests from `extensions.invalidateSubscriptions`. */
  invalidations: { subscriptionField: string; payload: Record<string, unknown> }[];
}

/** Thrown by `runtime.earlyReturn`; the resolver runner turns it into the handler's result. */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly skipTo: 'END' | 'NEXT' | undefined,
  ) {}
}

/** Builds `runtime`; `earlyReturn` unwinds the handler with an `EarlyReturn`. */
export function createRuntime() {
  return {
    earlyReturn(value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never {
      const skipTo = options?.skipTo;
      if (skipTo !== undefined && skipTo !== 'END' && skipTo !== 'NEXT') {
        throw new TypeError(`runtime.earlyReturn: skipTo must be 'END' or 'NEXT', got ${String(skipTo)}`);
      }
      throw new EarlyReturn(value ?? null, skipTo);
    },
  };
}

/** Builds `extensions` over the current invocation's state. */
export function createExtensions(current: () => InvocationState) {
  return {
    setSubscriptionFilter(filter: unknown): void {
      current().subscriptionFilter = filter;
    },
    setSubscriptionInvalidationFilter(filter: unknown): void {
      current().subscriptionInvalidationFilter = filter;
    },
    invalidateSubscriptions(request: { subscriptionField: string; payload: Record<string, unknown> }): void {
      if (!request || typeof request.subscriptionField !== 'string') {
        throw new TypeError('extensions.invalidateSubscriptions needs { subscriptionField, payload }');
      }
      current().invalidations.push({ subscriptionField: request.subscriptionField, payload: request.payload ?? {} });
    },
    // The local runtime has no response cache, so there is nothing to evict (as on an API
    // without caching, where AppSync ignores the call too).
    evictFromApiCache(): void {},
  };
}
