import type { Context } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError, requireCaller } from './lib/caller';

/** The signed-in user, read from the Users table (so role and status are current), with the session's expiry. */
export function request(ctx: Context) {
  return get({ key: { id: requireCaller(ctx).userId }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx);
  if (!ctx.result) return null;
  return { ...ctx.result, sessionExpiresAt: requireCaller(ctx).tokenExpiresAt || null };
}
