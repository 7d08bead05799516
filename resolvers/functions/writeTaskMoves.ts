import { util, type Context } from '@aws-appsync/utils';
import { operations, transactWrite } from '@aws-appsync/utils/dynamodb';
import { BOARD_ROLES, changeRefusal } from '../../rules/board-access';
import { completedAtAfter } from '../../rules/task-rules';
import { auditItem } from '../lib/audit';
import { requireBoardReader } from '../lib/caller';
import {
  cancellationReasons,
  changesBetween,
  columnOf,
  conflict,
  historyItem,
  rankFor,
  refuseFailedChecks,
  shown,
  writeChecks,
  type TaskItem,
} from '../lib/tasks';
import type { MutationMoveTasksArgs } from '../../api/generated/schema-types';

const MOVE_FIELDS = ['status', 'position'];

/** The checks, every move and its MOVED history entry, plus one audit entry: one transaction. */
export function request(ctx: Context<MutationMoveTasksArgs>) {
  const caller = requireBoardReader(ctx, ctx.args.boardId);
  const tasks = ctx.stash.tasks as TaskItem[];
  const now = util.time.nowISO8601();
  const moves = ctx.args.moves;
  moves.forEach((move, i) => {
    const refusal = changeRefusal(caller.boardRole, caller.userId, tasks[i], MOVE_FIELDS);
    if (refusal) {
      util.error(`${refusal} (task ${move.id})`, 'Unauthorized');
    }
    if (tasks[i].version !== move.expectedVersion) {
      conflict(tasks[i], move.expectedVersion);
    }
  });
  // The roles that may make every one of these moves, checked against the membership as it is now.
  const allowed = BOARD_ROLES.filter((role) => tasks.every((task) => changeRefusal(role, caller.userId, task, MOVE_FIELDS) === null));
  const items: unknown[] = writeChecks(ctx, caller.boardId, caller.userId, allowed);
  const moved: Record<string, unknown>[] = [];
  moves.forEach((move, i) => {
    const current = tasks[i];
    const next: Record<string, unknown> = Object.assign({}, current);
    const version = move.expectedVersion + 1;
    const update: Record<string, unknown> = { status: move.status, column: columnOf(current.board, move.status), updatedBy: caller.userId, updatedAt: now, version };
    next.status = move.status;
    next.column = update.column;
    const rank = rankFor(move.position);
    if (rank) {
      update.rank = rank;
      next.rank = rank;
    }
    const completedAt = completedAtAfter(current.status, move.status, now);
    if (completedAt === null) {
      update.completedAt = operations.remove();
      delete next.completedAt;
    } else if (completedAt !== undefined) {
      update.completedAt = completedAt;
      next.completedAt = completedAt;
    }
    next.updatedBy = caller.userId;
    next.updatedAt = now;
    next.version = version;
    moved.push(shown(next));
    const condition = { and: [{ version: { eq: move.expectedVersion } }, { board: { eq: current.board } }] };
    items.push({ updateItem: { table: ctx.env.TASKS_TABLE, key: { id: move.id }, update, condition } });
    items.push(historyItem(ctx, current.board, move.id, version, 'MOVED', caller.userId, now, changesBetween(current, next)));
  });
  items.push(
    auditItem(ctx, caller.userId, 'TASKS_MOVED', moves[0].id, { boardId: caller.boardId, moves: moves.map((m) => ({ id: m.id, status: m.status })) }, now),
  );
  ctx.stash.moved = moved;
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationMoveTasksArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0) {
    refuseFailedChecks(reasons);
    const moves = ctx.args.moves;
    const tasks = ctx.stash.tasks as TaskItem[];
    // After the two checks, each move is its update and its history entry.
    const failed = moves.map((move, i) => ({ move, i, reason: reasons[2 + i * 2] })).filter((f) => f.reason && f.reason.type !== 'None');
    const first = failed.length > 0 ? failed[0] : { move: moves[0], i: 0, reason: { type: 'None', item: undefined } };
    if (first.reason.type === 'ConditionalCheckFailed' && !first.reason.item) {
      util.error(`task ${first.move.id} does not exist`, 'NotFound', null, { id: first.move.id });
    }
    conflict((first.reason.item as Record<string, unknown>) || tasks[first.i], first.move.expectedVersion);
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.stash.moved;
}
