import { util, type Context } from '@aws-appsync/utils';
import { requireCaller } from './lib/caller';

/**
 * Raises the caller's token generation and records it, in one transaction. The authorizer
 * refuses tokens of an older generation, so every token the user holds stops working (within
 * the authorizer cache TTL for tokens it has already seen).
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
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return true;
}
