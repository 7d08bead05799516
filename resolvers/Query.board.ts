import { runtime, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { boardRoleIn } from '../rules/board-access';
import { shownBoard } from './lib/boards';
import { boardIdArg, raiseDataSourceError, requireCaller } from './lib/caller';
import type { QueryBoardArgs } from '../api/generated/schema-types';

/** One board, for its members and the installation's admins; null for anyone else, as for no board. */
export function request(ctx: Context<QueryBoardArgs>) {
  const caller = requireCaller(ctx);
  const id = boardIdArg(ctx.args.id);
  if (caller.role !== 'ADMIN' && !boardRoleIn(caller.boards, id)) {
    runtime.earlyReturn(null);
  }
  return get({ key: { id }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  return ctx.result ? shownBoard(ctx.result as Record<string, unknown>) : null;
}
