import { LambdaInvocationError } from '../../aws/lambda/invoke.ts';
import type { DataSource } from './index.ts';

/**
 * The Lambda data source: `{ operation: 'Invoke' | 'BatchInvoke', payload }` invokes the
 * function with `payload` as its event; a failure lands in `ctx.error`, never thrown.
 */
export function createLambdaDataSource(invoke: (event: unknown) => Promise<unknown>): DataSource {
  return {
    async invoke(request) {
      const { operation, payload } = (request ?? {}) as { operation?: unknown; payload?: unknown };
      if (operation !== 'Invoke' && operation !== 'BatchInvoke') {
        return {
          result: null,
          error: { type: 'Lambda:IllegalArgument', message: `Unsupported Lambda operation: ${String(operation)}` },
        };
      }
      try {
        return { result: (await invoke(payload ?? null)) ?? null };
      } catch (error) {
        const type = error instanceof LambdaInvocationError ? error.code : 'Lambda:Unhandled';
        return { result: null, error: { type, message: error instanceof Error ? error.message : String(error) } };
      }
    },
  };
}
