import { util, type Context } from '@aws-appsync/utils';

/**
 * A field answered by a Lambda function (verification, dashboard tokens). The request passes the
 * field, its arguments, the caller (if signed in) and the source address; the function answers
 * `{ data }` or `{ error: { type, message, data } }`, which becomes the field's GraphQL error
 * with that `errorType`, so people see `RateLimited` or `NotFound`, not a Lambda failure.
 */
export function invokeFunction(ctx: Context) {
  const identity = ctx.identity as { resolverContext?: Record<string, string> } | null;
  const forwarded = ctx.request.headers['x-forwarded-for'] || '';
  const hops = forwarded.split(',');
  return {
    operation: 'Invoke',
    payload: {
      field: `${ctx.info.parentTypeName}.${ctx.info.fieldName}`,
      arguments: ctx.args,
      caller: identity && identity.resolverContext ? identity.resolverContext : null,
      // The address the API's edge saw: the last hop, the one a client cannot forge.
      sourceIp: hops[hops.length - 1].trim() || null,
    },
  };
}

/** The function's answer as the field's data, or its error; `failure` when the function itself failed. */
export function functionAnswer(ctx: Context, failure: string) {
  if (ctx.error) {
    util.error(failure, 'InternalFailure');
  }
  const answer = ctx.result as { data?: unknown; error?: { type: string; message: string; data?: unknown } };
  if (answer.error) {
    util.error(answer.error.message, answer.error.type, answer.error.data || null);
  }
  return answer.data;
}
