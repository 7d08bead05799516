import { util, type Context } from '@aws-appsync/utils';
import { operations, update } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import { shownBoard } from './lib/boards';
import { boardIdArg } from './lib/caller';
import type { MutationArchiveBoardArgs } from '../api/generated/schema-types';

/**
 * (Installation admins) Archives a board (every write to it is refused from then on: the writes'
 * transactions check it) or brings it back.
 */
export function request(ctx: Context<MutationArchiveBoardArgs>) {
  requireAdmin(ctx);
  return update({
    key: { id: boardIdArg(ctx.args.id) },
    update: { archivedAt: ctx.args.archived ? util.time.nowISO8601() : operations.remove() },
    condition: { id: { attributeExists: true } },
  } as never);
}

export function response(ctx: Context<MutationArchiveBoardArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    util.error(`board ${ctx.args.id} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return shownBoard(ctx.result as Record<string, unknown>);
}
