import type { DataSourceResult } from './types.ts';

/** A data source as resolvers see it: a request object in, a result or an error out. */
export interface DataSource {
  /** Never throws for the caller's mistakes: failures come back as `error`, as `ctx.error`. */
  invoke(request: unknown): Promise<DataSourceResult>;
}

/** The NONE data source: the request's `payload` (if any) comes back as the result. */
export const noneDataSource: DataSource = {
  async invoke(request) {
    const payload = request && typeof request === 'object' ? (request as { payload?: unknown }).payload : undefined;
    return { result: payload ?? null };
  },
};
