import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireCaller } from './lib/caller';
import type { QueryTaskArgs } from '../api/generated/schema-types';

/** One task by id; null when there is none. */
export function request(ctx: Context<QueryTaskArgs>) {
  requireCaller(ctx);
  return get({ key: { id: ctx.args.id } });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  return ctx.result;
}
