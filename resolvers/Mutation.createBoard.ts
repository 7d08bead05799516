import { util, type Context } from '@aws-appsync/utils';
import { transactWrite } from '@aws-appsync/utils/dynamodb';
import { boardKeyProblem, boardNameProblem } from '../rules/task-rules';
import { requireAdmin } from './lib/admin';
import { auditItem } from './lib/audit';
import { checkedSettings, shownBoard } from './lib/boards';
import { cancellationReasons } from './lib/tasks';
import type { MutationCreateBoardArgs } from '../api/generated/schema-types';

/**
 * (Installation admins) A board, its key (unique: a BoardKeys item written only if absent), its
 * creator as its first board admin and the audit entry: one transaction.
 */
export function request(ctx: Context<MutationCreateBoardArgs>) {
  const caller = requireAdmin(ctx);
  const input = ctx.args.input;
  const problem = boardKeyProblem(input.key) || boardNameProblem(input.name);
  if (problem) {
    util.error(problem.message, 'ValidationError', null, { field: problem.field });
  }
  const settings = checkedSettings(input.settings || { membersCreateTasks: false, labels: [] });
  const now = util.time.nowISO8601();
  const id = util.autoId();
  const board = { id, key: input.key, name: input.name.trim(), membersCreateTasks: settings.membersCreateTasks, labels: settings.labels, createdAt: now, createdBy: caller.userId, taskCount: 0 };
  ctx.stash.board = board;
  return transactWrite({
    items: [
      { putItem: { table: ctx.env.BOARD_KEYS_TABLE, key: { key: input.key }, item: { boardId: id }, condition: { key: { attributeExists: false } } } },
      { putItem: { table: ctx.env.BOARDS_TABLE, key: { id }, item: board, condition: { id: { attributeExists: false } } } },
      {
        putItem: {
          table: ctx.env.BOARD_MEMBERS_TABLE,
          key: { boardId: id, userId: caller.userId },
          item: { role: 'ADMIN', addedAt: now, addedBy: caller.userId },
        },
      },
      auditItem(ctx, caller.userId, 'BOARD_CREATED', id, { key: input.key, name: board.name }, now),
    ],
  } as never);
}

export function response(ctx: Context<MutationCreateBoardArgs>) {
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error(`the key ${ctx.args.input.key} is taken by another board`, 'ConflictError', null, { field: 'key' });
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shownBoard(ctx.stash.board as Record<string, unknown>);
}
