import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { requireId } from '../lib/paging';

/** Reads the user `ctx.args.userId` into `ctx.stash.user`; a missing one is NotFound. */
export function request(ctx: Context<{ userId: string }>) {
  return get({ key: { id: requireId(ctx.args.userId, 'userId') }, consistentRead: true });
}

export function response(ctx: Context<{ userId: string }>) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  if (!ctx.result) {
    util.error(`user ${ctx.args.userId} does not exist`, 'NotFound');
  }
  ctx.stash.user = ctx.result;
  return ctx.result;
}
