import { extensions, util, type Context } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import type { MutationSetUserStatusArgs } from '../api/generated/schema-types';

/** (Admins) Sets a user's status; a disabled user's live subscriptions end at once. */
export function request(ctx: Context<MutationSetUserStatusArgs>) {
  const caller = requireAdmin(ctx);
  if (ctx.args.userId === caller.userId && ctx.args.status !== 'ACTIVE') {
    util.error('admins cannot disable themselves', 'ValidationError', null, { field: 'userId' });
  }
  return update({
    key: { id: ctx.args.userId },
    update: { status: ctx.args.status },
    condition: { id: { attributeExists: true } },
  });
}

export function response(ctx: Context<MutationSetUserStatusArgs>) {
  if (ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    util.error(`user ${ctx.args.userId} does not exist`, 'NotFound');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  if (ctx.args.status !== 'ACTIVE') {
    const payload = { userId: ctx.args.userId };
    extensions.invalidateSubscriptions({ subscriptionField: 'onTaskEvent', payload });
    extensions.invalidateSubscriptions({ subscriptionField: 'onNotification', payload });
  }
  return ctx.result;
}
