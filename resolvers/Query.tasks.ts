import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireBoardUser } from './lib/caller';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import { BOARD, LABEL_MAX } from './lib/tasks';
import type { QueryTasksArgs } from '../api/generated/schema-types';

/**
 * A page of the board, always from an index (never a scan). The most selective filter field picks
 * the index: assigneeId (byAssignee), status (byStatus, in rank order), dueBefore (byDue), else
 * the board (byBoard, newest first). The remaining fields are a filter expression on that page.
 * A label has no index of its own: labels are a list (up to 10), which a GSI key cannot hold, and
 * a label -> task item per label would turn each label edit into up to 20 more writes; so a label
 * narrows whichever index the other fields chose.
 */
export function request(ctx: Context<QueryTasksArgs>) {
  requireBoardUser(ctx);
  const limit = pageLimit(ctx.args.limit);
  const filter = ctx.args.filter || {};
  if (filter.label !== undefined && filter.label !== null && (filter.label.length < 1 || filter.label.length > LABEL_MAX)) {
    util.error(`label must be 1 to ${LABEL_MAX} characters`, 'ValidationError', null, { field: 'filter.label' });
  }
  if (filter.assigneeId !== undefined && filter.assigneeId !== null && (filter.assigneeId.length < 1 || filter.assigneeId.length > 128)) {
    util.error('assigneeId must be 1 to 128 characters', 'ValidationError', null, { field: 'filter.assigneeId' });
  }
  const rest: Record<string, unknown>[] = [];
  const base = { limit, nextToken: pageToken(ctx.args.nextToken) };
  const extra = (used: string) => {
    if (used !== 'status' && filter.status) rest.push({ status: { eq: filter.status } });
    if (used !== 'dueBefore' && filter.dueBefore) rest.push({ dueDate: { lt: filter.dueBefore } });
    if (filter.label) rest.push({ labels: { contains: filter.label } });
    return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { and: rest };
  };
  if (filter.assigneeId) {
    return query({ ...base, index: 'byAssignee', query: { assigneeId: { eq: filter.assigneeId } }, filter: extra('assigneeId'), scanIndexForward: false } as never);
  }
  if (filter.status) {
    return query({ ...base, index: 'byStatus', query: { status: { eq: filter.status } }, filter: extra('status'), scanIndexForward: true } as never);
  }
  if (filter.dueBefore) {
    return query({ ...base, index: 'byDue', query: { board: { eq: BOARD }, dueDate: { lt: filter.dueBefore } }, filter: extra('dueBefore'), scanIndexForward: true } as never);
  }
  return query({ ...base, index: 'byBoard', query: { board: { eq: BOARD } }, filter: extra('board'), scanIndexForward: false } as never);
}

export function response(ctx: Context) {
  return pageOf(ctx);
}
