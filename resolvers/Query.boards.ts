import type { Context } from '@aws-appsync/utils';
import { scan } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import { shownBoard } from './lib/boards';
import { orderOf, pageOf } from './lib/paging';

/** (Installation admins) Every board, archived ones included, by name. Boards are few: one scan page. */
export function request(ctx: Context) {
  requireAdmin(ctx);
  return scan({ limit: 1000, consistentRead: true } as never);
}

export function response(ctx: Context) {
  const items = pageOf(ctx).items as Record<string, unknown>[];
  return orderOf(items.map((item) => `${item.name}`)).map((i) => shownBoard(items[i]));
}
