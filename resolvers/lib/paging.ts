import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;

/** A page size from 1 to `max` (default `fallback`); anything else is a `ValidationError`. */
export function pageLimit(limit: number | null | undefined, max?: number, fallback?: number): number {
  const top = max || MAX_PAGE;
  const value = limit === undefined || limit === null ? fallback || DEFAULT_PAGE : limit;
  if (value < 1 || value > top) {
    util.error(`limit must be from 1 to ${top}`, 'ValidationError', null, { field: 'limit' });
  }
  return value;
}

/** A nextToken argument: absent, or a string of sane length. */
export function pageToken(token: string | null | undefined): string | undefined {
  if (token === undefined || token === null || token === '') return undefined;
  if (token.length > 4096) {
    util.error('nextToken is not one this API gave out', 'ValidationError', null, { field: 'nextToken' });
  }
  return token;
}

/** The response of a paginated query: a forged or mismatched nextToken is a `ValidationError`. */
export function pageOf(ctx: Context, items?: unknown[]) {
  if (ctx.error) {
    const type = ctx.error.type || '';
    if (type.indexOf('IllegalArgument') >= 0 || type.indexOf('ValidationException') >= 0) {
      util.error('nextToken is not one this API gave out', 'ValidationError', null, { field: 'nextToken' });
    }
    util.error(ctx.error.message, ctx.error.type);
  }
  return { items: items || ctx.result.items, nextToken: ctx.result.nextToken || null };
}

/** An identifier argument: 1 to 128 characters, or a `ValidationError`. */
export function requireId(value: string, field: string): string {
  if (!value || value.length > 128) {
    util.error(`${field} must be 1 to 128 characters`, 'ValidationError', null, { field });
  }
  return value;
}

/**
 * A page of the items kept under one task (its comments, its history), oldest first, narrowed to
 * the board the caller named: a task id of another board gives an empty page, never its items.
 */
export function taskItemsPage(ctx: Context<{ taskId: string; limit?: number | null; nextToken?: string | null }>, boardId: string) {
  return query({
    query: { taskId: { eq: requireId(ctx.args.taskId, 'taskId') } },
    filter: { boardId: { eq: boardId } },
    limit: pageLimit(ctx.args.limit),
    nextToken: pageToken(ctx.args.nextToken),
    consistentRead: true,
  } as never);
}

/**
 * The positions of `keys` in ascending key order: APPSYNC_JS sorts only by the default order (no
 * comparator may be passed), so each key gets its position appended and the sorted keys give the
 * order back. Numbers sort as keys when padded to one width.
 */
export function orderOf(keys: string[]): number[] {
  return keys
    .map((key, i) => `${key}\u0000${i}`)
    .sort()
    .map((keyed) => Number(keyed.slice(keyed.lastIndexOf('\u0000') + 1)));
}
