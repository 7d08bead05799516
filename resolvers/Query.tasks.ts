import { util, type Context } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';
import { requireBoardReader } from './lib/caller';
import { pageLimit, pageOf, pageToken } from './lib/paging';
import { columnOf, shown } from './lib/tasks';
import { LIMITS } from '../rules/task-rules';
import type { QueryTasksArgs } from '../api/generated/schema-types';

/**
 * A page of one board, always from an index (never a scan). The most selective filter field picks
 * the index: status (byColumn: the board's column, in rank order), assigneeId (byAssignee, that
 * person's tasks narrowed to the board), dueBefore (byDue), else the board (byBoard, newest
 * first). The remaining fields are a filter expression on that page. A label has no index of its
 * own: labels are a list (up to 10), which a GSI key cannot hold, and a label -> task item per
 * label would turn each label edit into up to 20 more writes; so a label narrows whichever index
 * the other fields chose.
 */
export function request(ctx: Context<QueryTasksArgs>) {
  const board = requireBoardReader(ctx, ctx.args.boardId).boardId;
  const limit = pageLimit(ctx.args.limit);
  const filter = ctx.args.filter || {};
  if (filter.label !== undefined && filter.label !== null && (filter.label.length < 1 || filter.label.length > LIMITS.label)) {
    util.error(`label must be 1 to ${LIMITS.label} characters`, 'ValidationError', null, { field: 'filter.label' });
  }
  if (filter.assigneeId !== undefined && filter.assigneeId !== null && (filter.assigneeId.length < 1 || filter.assigneeId.length > LIMITS.id)) {
    util.error(`assigneeId must be 1 to ${LIMITS.id} characters`, 'ValidationError', null, { field: 'filter.assigneeId' });
  }
  const rest: Record<string, unknown>[] = [];
  const base = { limit, nextToken: pageToken(ctx.args.nextToken) };
  const extra = (used: string) => {
    if (used === 'assigneeId') rest.push({ board: { eq: board } });
    if (used !== 'assigneeId' && filter.assigneeId) rest.push({ assigneeId: { eq: filter.assigneeId } });
    if (used === 'assigneeId' && filter.status) rest.push({ status: { eq: filter.status } });
    if (used !== 'dueBefore' && filter.dueBefore) rest.push({ dueDate: { lt: filter.dueBefore } });
    if (filter.label) rest.push({ labels: { contains: filter.label } });
    return rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { and: rest };
  };
  if (filter.status) {
    return query({ ...base, index: 'byColumn', query: { column: { eq: columnOf(board, filter.status) } }, filter: extra('status'), scanIndexForward: true } as never);
  }
  if (filter.assigneeId) {
    return query({ ...base, index: 'byAssignee', query: { assigneeId: { eq: filter.assigneeId } }, filter: extra('assigneeId'), scanIndexForward: false } as never);
  }
  if (filter.dueBefore) {
    return query({ ...base, index: 'byDue', query: { board: { eq: board }, dueDate: { lt: filter.dueBefore } }, filter: extra('dueBefore'), scanIndexForward: true } as never);
  }
  return query({ ...base, index: 'byBoard', query: { board: { eq: board } }, filter: extra('board'), scanIndexForward: false } as never);
}

export function response(ctx: Context) {
  const page = pageOf(ctx);
  return { items: (page.items as Record<string, unknown>[]).map((task) => shown(task)), nextToken: page.nextToken };
}
