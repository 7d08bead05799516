import { util, type Context } from '@aws-appsync/utils';

/**
 * An audit entry as one item of a transaction (`transactWrite`), so it is written with the action
 * it records or not at all. `details` holds what changed, never a token.
 */
export function auditItem(ctx: Context, actorId: string, action: string, targetId: string, details: Record<string, unknown>, at: string) {
  return {
    putItem: {
      table: ctx.env.AUDIT_LOG_TABLE,
      key: { id: util.autoUlid() },
      item: { scope: 'all', at, actorId, action, targetId, details: JSON.stringify(details) },
      condition: { id: { attributeExists: false } },
    },
  };
}
