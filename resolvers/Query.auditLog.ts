import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireAdmin } from './lib/admin';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import type { QueryAuditLogArgs } from '../api/generated/schema-types';

/** An AWSDateTime as the UTC form entries are stored in, so string order is time order. */
function utc(value: string): string {
  return util.time.epochMilliSecondsToISO8601(util.time.parseISO8601ToEpochMilliSeconds(value));
}

/**
 * (Admins) The audit log, newest first. actorId -> byActor, else action -> byAction, else byTime;
 * from/to are the sort key range; an action with an actor is a filter on the actor's entries.
 */
export function request(ctx: Context<QueryAuditLogArgs>) {
  requireAdmin(ctx);
  const filter = ctx.args.filter || {};
  const from = filter.from ? utc(filter.from) : undefined;
  const to = filter.to ? utc(filter.to) : undefined;
  if (from && to && from > to) {
    util.error('from must not be after to', 'ValidationError', null, { field: 'filter.from' });
  }
  const at = from && to ? { between: [from, to] } : from ? { ge: from } : to ? { le: to } : undefined;
  const key = (name: string, value: string) => {
    const condition: Record<string, unknown> = { [name]: { eq: value } };
    if (at) condition.at = at;
    return condition;
  };
  const base = { limit: pageLimit(ctx.args.limit), nextToken: pageToken(ctx.args.nextToken), scanIndexForward: false };
  if (filter.actorId) {
    return query({ ...base, index: 'byActor', query: key('actorId', filter.actorId), filter: filter.action ? { action: { eq: filter.action } } : undefined } as never);
  }
  if (filter.action) {
    return query({ ...base, index: 'byAction', query: key('action', filter.action) } as never);
  }
  return query({ ...base, index: 'byTime', query: key('scope', 'all') } as never);
}

export function response(ctx: Context) {
  return pageOf(ctx);
}
