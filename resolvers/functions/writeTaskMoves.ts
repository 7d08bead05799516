import { util, type Context } from '@aws-appsync/utils';
import { operations, transactWrite } from '@aws-appsync/utils/dynamodb';
import { auditItem } from '../lib/audit';
import { requireBoardUser } from '../lib/caller';
import { cancellationReasons, changesBetween, conflict, historyItem, rankFor, shown, type TaskItem } from '../lib/tasks';
import type { MutationMoveTasksArgs } from '../../api/generated/schema-types';

/** Every move and its MOVED history entry, plus one audit entry: one transaction. */
export function request(ctx: Context<MutationMoveTasksArgs>) {
  const caller = requireBoardUser(ctx);
  const admin = caller.role === 'ADMIN';
  const tasks = ctx.stash.tasks as TaskItem[];
  const now = util.time.nowISO8601();
  const moves = ctx.args.moves;
  moves.forEach((move, i) => {
    const current = tasks[i];
    if (!admin && current.assigneeId !== caller.userId) {
      util.error(`members may move only tasks assigned to them (task ${move.id})`, 'Unauthorized');
    }
    if (current.version !== move.expectedVersion) {
      conflict(current, move.expectedVersion);
    }
  });
  const items: unknown[] = [];
  const moved: Record<string, unknown>[] = [];
  moves.forEach((move, i) => {
    const current = tasks[i];
    const next: Record<string, unknown> = Object.assign({}, current);
    const version = move.expectedVersion + 1;
    const update: Record<string, unknown> = { status: move.status, updatedBy: caller.userId, updatedAt: now, version };
    next.status = move.status;
    const rank = rankFor(move.position);
    if (rank) {
      update.rank = rank;
      next.rank = rank;
    }
    if (move.status !== current.status && move.status === 'DONE') {
      update.completedAt = now;
      next.completedAt = now;
    } else if (move.status !== 'DONE' && current.completedAt) {
      update.completedAt = operations.remove();
      delete next.completedAt;
    }
    next.updatedBy = caller.userId;
    next.updatedAt = now;
    next.version = version;
    moved.push(shown(next));
    const condition = admin
      ? { version: { eq: move.expectedVersion } }
      : { and: [{ version: { eq: move.expectedVersion } }, { assigneeId: { eq: caller.userId } }] };
    items.push({ updateItem: { table: ctx.env.TASKS_TABLE, key: { id: move.id }, update, condition } });
    items.push(historyItem(ctx, move.id, version, 'MOVED', caller.userId, now, changesBetween(current, next)));
  });
  items.push(
    auditItem(ctx, caller.userId, 'TASKS_MOVED', moves[0].id, { moves: moves.map((m) => ({ id: m.id, status: m.status })) }, now),
  );
  ctx.stash.moved = moved;
  return transactWrite({ items } as never);
}

export function response(ctx: Context<MutationMoveTasksArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0) {
    const moves = ctx.args.moves;
    const tasks = ctx.stash.tasks as TaskItem[];
    const failed = moves.map((move, i) => ({ move, i, reason: reasons[i * 2] })).filter((f) => f.reason && f.reason.type !== 'None');
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
