import type { Context } from '@aws-appsync/utils';
import type { MutationPublishBoardStatsArgs } from '../api/generated/schema-types';

/** Called by the boardStats function with IAM auth; its response reaches every onBoardStats subscriber. */
export function request(ctx: Context<MutationPublishBoardStatsArgs>) {
  return { payload: ctx.args.stats };
}

export function response(ctx: Context) {
  return ctx.result;
}
