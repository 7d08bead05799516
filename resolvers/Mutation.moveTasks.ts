import { util, type Context } from '@aws-appsync/utils';
import { LIMITS } from '../rules/task-rules';
import { requireBoardReader } from './lib/caller';
import { requireId } from './lib/paging';
import type { MutationMoveTasksArgs } from '../api/generated/schema-types';

/**
 * Moves several tasks of one board to new statuses at once, all or nothing (pipeline: readTasks,
 * writeTaskMoves): one transaction, each task at its expected version.
 */
export function request(ctx: Context<MutationMoveTasksArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  const moves = ctx.args.moves;
  if (moves.length < 1 || moves.length > LIMITS.moves) {
    util.error(`moveTasks takes 1 to ${LIMITS.moves} moves`, 'ValidationError', null, { field: 'moves' });
  }
  const ids = moves.map((move) => requireId(move.id, 'id'));
  if (ids.some((id, i) => ids.indexOf(id) !== i)) {
    util.error('each task may be moved once per call', 'ValidationError', null, { field: 'moves' });
  }
  ctx.stash.boardId = caller.boardId;
  ctx.stash.taskIds = ids;
  return {};
}

export function response(ctx: Context) {
  return ctx.prev.result;
}
