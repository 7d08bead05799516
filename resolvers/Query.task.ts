import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireBoardUser } from './lib/caller';
import { requireId } from './lib/paging';
import type { QueryTaskArgs } from '../api/generated/schema-types';

/** One task by id; null when there is none. */
export function request(ctx: Context<QueryTaskArgs>) {
  requireBoardUser(ctx);
  return get({ key: { id: requireId(ctx.args.id, 'id') } });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  return ctx.result;
}
