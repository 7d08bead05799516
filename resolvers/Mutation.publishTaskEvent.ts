import type { Context } from '@aws-appsync/utils';
import type { MutationPublishTaskEventArgs } from '../api/generated/schema-types';

/**
 * Called by the fan-out with IAM auth (the field allows nothing else). It stores nothing: its
 * response is what AppSync sends to each matching onTaskEvent subscriber.
 */
export function request(ctx: Context<MutationPublishTaskEventArgs>) {
  return { payload: ctx.args.event };
}

export function response(ctx: Context) {
  return ctx.result;
}
