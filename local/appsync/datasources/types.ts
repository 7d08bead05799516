/**
 * What a data source hands back to the resolver runtime, which exposes it as `ctx.result` and
 * `ctx.error`. A data-source error never throws: AppSync only raises it if the response handler
 * calls `util.error`, and some errors (a failed condition, a cancelled transaction) come with a
 * `result` the handler is expected to read.
 */
export type DataSourceResult =
  | { result: unknown; error?: undefined }
  | { result: unknown; error: { message: string; type: string } };
