import type { Context } from '@aws-appsync/utils';
import type { MutationPublishNotificationArgs } from '../api/generated/schema-types';

/** Called by the notifier with IAM auth; its response reaches the recipient's onNotification. */
export function request(ctx: Context<MutationPublishNotificationArgs>) {
  return { payload: ctx.args.notification };
}

export function response(ctx: Context) {
  return ctx.result;
}
