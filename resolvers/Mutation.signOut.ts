import { extensions, util, type Context } from '@aws-appsync/utils';
import { requireCaller } from './lib/caller';
import { cancellationReasons } from './lib/tasks';

/**
 * Raises the caller's token generation and records it, in one transaction. The authorizer
 * refuses tokens of an older generation, so every token the user holds stops working (within
 * the authorizer cache TTL for tokens it has already seen), and the user's live subscriptions
 * end: they were authorized by tokens that are now revoked.
 */
export function request(ctx: Context) {
  const caller = requireCaller(ctx);
  const now = util.time.nowISO8601();
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table: ctx.env.USERS_TABLE,
        operation: 'UpdateItem',
        key: util.dynamodb.toMapValues({ id: caller.userId }),
        // ADD counts from zero: users made before sign-out existed have no generation yet.
        update: { expression: 'ADD #generation :one', expressionNames: { '#generation': 'tokenGeneration' }, expressionValues: util.dynamodb.toMapValues({ ':one': 1 }) },
        condition: { expression: 'attribute_exists(id)' },
      },
      {
        table: ctx.env.AUDIT_LOG_TABLE,
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ id: util.autoUlid() }),
        attributeValues: util.dynamodb.toMapValues({ scope: 'all', at: now, actorId: caller.userId, action: 'SIGNED_OUT', targetId: caller.userId, outcome: 'REVOKED', details: '{}' }),
        condition: { expression: 'attribute_not_exists(id)' },
      },
    ],
  };
}

export function response(ctx: Context) {
  // The user item is gone (erased while an authorizer result for their token was still cached):
  // there is nothing to sign out of, and a raw transaction failure would read as a server fault.
  const reasons = cancellationReasons(ctx);
  if (reasons.length > 0 && reasons[0].type === 'ConditionalCheckFailed') {
    util.error('This account no longer exists.', 'Unauthorized');
  }
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const payload = { userId: requireCaller(ctx).userId };
  extensions.invalidateSubscriptions({ subscriptionField: 'onTaskEvent', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onNotification', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onBoardStats', payload });
  extensions.invalidateSubscriptions({ subscriptionField: 'onComment', payload });
  return true;
}
