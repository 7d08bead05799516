import { util, type Context } from '@aws-appsync/utils';
import { scan } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import { orderOf, pageLimit, pageOf, pageToken } from './lib/paging';
import type { QueryInvitationsArgs } from '../api/generated/schema-types';

/**
 * (Admins) Pending invitations, the soonest to expire first within a page. A scan of a small
 * table (invitations live 7 days), without those past their expiry that DynamoDB's TTL has not
 * removed yet.
 */
export function request(ctx: Context<QueryInvitationsArgs>) {
  requireAdmin(ctx);
  return scan({
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    filter: { expiresAt: { gt: util.time.nowEpochSeconds() } },
    consistentRead: true,
  } as never);
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  const items = page.items as Record<string, unknown>[];
  // expiresAt is epoch seconds: padded to 12 digits, text order is time order.
  const order = orderOf(items.map((item) => `000000000000${item.expiresAt}`.slice(-12)));
  return { items: order.map((i) => ({ ...items[i], boards: items[i].boards || [] })), nextToken: page.nextToken };
}
