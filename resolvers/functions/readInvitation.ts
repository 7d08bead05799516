import { util, type Context } from '@aws-appsync/utils';

/**
 * Reads the pending invitation of `ctx.stash.email` into `ctx.stash.invitation` (null when
 * there is none). A transactional get: the pipeline's data source is the Users table's, which may
 * read the Invitations table only through transactions.
 */
export function request(ctx: Context) {
  return {
    operation: 'TransactGetItems',
    transactItems: [{ table: ctx.env.INVITATIONS_TABLE, key: util.dynamodb.toMapValues({ email: ctx.stash.email }) }],
  };
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const items = ctx.result.items as (Record<string, unknown> | null)[];
  ctx.stash.invitation = items[0] || null;
  return ctx.stash.invitation;
}
