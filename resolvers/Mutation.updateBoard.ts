import { util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import { boardNameProblem } from '../rules/task-rules';
import { checkedSettings, requireBoardManager, shownBoard } from './lib/boards';
import type { MutationUpdateBoardArgs } from '../api/generated/schema-types';

/** (Board admins) Renames a board or changes its settings; an archived board stays as it is. */
export function request(ctx: Context<MutationUpdateBoardArgs>) {
  const input = ctx.args.input;
  requireBoardManager(ctx, input.id);
  const changes: Record<string, unknown> = {};
  if (input.name !== undefined && input.name !== null) {
    const problem = boardNameProblem(input.name);
    if (problem) {
      util.error(problem.message, 'ValidationError', null, { field: problem.field });
    }
    changes.name = input.name.trim();
  }
  if (input.settings) {
    const settings = checkedSettings(input.settings);
    changes.membersCreateTasks = settings.membersCreateTasks;
    changes.labels = settings.labels;
  }
  if (Object.keys(changes).length === 0) {
    util.error('give a name or settings to change', 'ValidationError', null, { field: 'input' });
  }
  return update({
    key: { id: input.id },
    update: changes,
    condition: { and: [{ id: { attributeExists: true } }, { archivedAt: { attributeExists: false } }] },
  } as never);
}

export function response(ctx: Context<MutationUpdateBoardArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    if (!ctx.result) {
      util.error(`board ${ctx.args.input.id} does not exist`, 'NotFound');
    }
    util.error('the board is archived: it is read-only', 'Unauthorized');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shownBoard(ctx.result as Record<string, unknown>);
}
