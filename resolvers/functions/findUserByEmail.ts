import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';

/** Finds the user with `ctx.stash.email` (byEmail index) into `ctx.stash.existing`, or null. */
export function request(ctx: Context) {
  return query({ index: 'byEmail', query: { email: { eq: ctx.stash.email as string } }, limit: 1 });
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const items = ctx.result.items as Record<string, unknown>[];
  ctx.stash.existing = items.length > 0 ? items[0] : null;
  return ctx.stash.existing;
}
