import { util, type Context } from '@aws-appsync/utils';

/**
 * Every verification field is answered by the verification function. The request passes the
 * field, its arguments, the caller (if signed in) and the source address; the function answers
 * `{ data }` or `{ error: { type, message, data } }`, which becomes the field's GraphQL error
 * with that `errorType`, so people see `RateLimited` or `InvalidImage`, not a Lambda failure.
 */
export function request(ctx: Context) {
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

export function response(ctx: Context) {
  if (ctx.error) {
    util.error('The verification service failed; please try again.', 'InternalFailure');
  }
  const answer = ctx.result as { data?: unknown; error?: { type: string; message: string; data?: unknown } };
  if (answer.error) {
    util.error(answer.error.message, answer.error.type, answer.error.data || null);
  }
  return answer.data;
}
