import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardUser } from './lib/caller';
import { figures } from './lib/stats';
import { BOARD } from './lib/tasks';

/** The dashboard figures: one read of the board's counters item, never a scan of the tasks. */
export function request(ctx: Context) {
  requireBoardUser(ctx);
  return get({ key: { id: BOARD }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  return figures(ctx.result as Record<string, unknown> | null);
}
