import { util, type Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireFiguresReader } from './lib/caller';
import { figuresOf } from '../rules/board-figures';
import type { QueryBoardStatsArgs } from '../api/generated/schema-types';

/**
 * A board's dashboard figures: one read of its counters item, never a scan of the tasks. Its
 * members read them, and so does a dashboard token for this board (and for no other).
 */
export function request(ctx: Context<QueryBoardStatsArgs>) {
  const board = requireFiguresReader(ctx, ctx.args.boardId);
  return get({ key: { id: board }, consistentRead: true });
}

export function response(ctx: Context<QueryBoardStatsArgs>) {
  raiseDataSourceError(ctx);
  return { boardId: ctx.args.boardId, ...figuresOf(ctx.result as Record<string, unknown> | null, util.time.nowEpochMilliSeconds()) };
}
