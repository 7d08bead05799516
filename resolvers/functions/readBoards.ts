import { runtime, util, type Context } from '@aws-appsync/utils';
import { batchGet } from '@aws-appsync/utils/dynamodb';

/** The boards of `ctx.stash.memberships` into `ctx.stash.boards` (missing ones left out). */
export function request(ctx: Context) {
  const memberships = ctx.stash.memberships as { boardId: string }[];
  if (memberships.length === 0) {
    ctx.stash.boards = [];
    runtime.earlyReturn([]);
  }
  return batchGet({ tables: { [ctx.env.BOARDS_TABLE]: { keys: memberships.map((m) => ({ id: m.boardId })), consistentRead: true } } } as never);
}

export function response(ctx: Context) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const boards = ((ctx.result.data[ctx.env.BOARDS_TABLE] || []) as (Record<string, unknown> | null)[]).filter((board) => !!board);
  ctx.stash.boards = boards;
  return boards;
}
