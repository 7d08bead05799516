import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardReader } from './lib/caller';
import { requireId } from './lib/paging';
import { shown } from './lib/tasks';
import type { QueryTaskArgs } from '../api/generated/schema-types';

/** One task of a board by id; null when there is none, or when it is on another board. */
export function request(ctx: Context<QueryTaskArgs>) {
  requireBoardReader(ctx, ctx.args.boardId);
  return get({ key: { id: requireId(ctx.args.id, 'id') } });
}

export function response(ctx: Context<QueryTaskArgs>) {
  raiseDataSourceError(ctx);
  const task = ctx.result as Record<string, unknown> | null;
  return task && task.board === ctx.args.boardId ? shown(task) : null;
}
