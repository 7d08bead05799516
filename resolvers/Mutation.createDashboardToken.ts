import type { Context } from '@aws-appsync/utils';
import { requireCaller } from './lib/caller';
import { functionAnswer, invokeFunction } from './lib/function-field';

/**
 * (Board admins) Answered by the dashboardTokens function (functions/dashboard-tokens/), which
 * reads the caller's board role afresh, signs with the token key and audits.
 */
export function request(ctx: Context) {
  requireCaller(ctx);
  return invokeFunction(ctx);
}

export function response(ctx: Context) {
  return functionAnswer(ctx, 'The dashboard token service failed; please try again.');
}
