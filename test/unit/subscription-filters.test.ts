import { describe, expect, it } from 'vitest';
import { invalidFilterReason, matchesArguments, matchesFilter, type EnhancedFilter } from '../../local/appsync/realtime/filters.ts';
import { createUtil } from '../../local/appsync/runtime/util.ts';

// Filters are written in resolvers with util.transform.toSubscriptionFilter; these tests feed the
// hub's evaluator exactly what that produces, so the two halves are proven to fit together.
const util = createUtil({ appendError: () => {}, authType: () => 'Lambda Authorization' });
const filter = (spec: Record<string, unknown>) => util.transform.toSubscriptionFilter(spec) as unknown as EnhancedFilter;

const event = { taskId: 't-1', status: 'IN_PROGRESS', priority: 3, title: 'Ship the release', labels: ['api', 'urgent'], assigneeId: null, task: { version: 4 } };

describe('enhanced subscription filters: every operator', () => {
  it.each([
    ['eq', { status: { eq: 'IN_PROGRESS' } }, { status: { eq: 'DONE' } }],
    ['ne', { status: { ne: 'DONE' } }, { status: { ne: 'IN_PROGRESS' } }],
    ['lt', { priority: { lt: 4 } }, { priority: { lt: 3 } }],
    ['le', { priority: { le: 3 } }, { priority: { le: 2 } }],
    ['gt', { priority: { gt: 2 } }, { priority: { gt: 3 } }],
    ['ge', { priority: { ge: 3 } }, { priority: { ge: 4 } }],
    ['contains (string)', { title: { contains: 'release' } }, { title: { contains: 'rollback' } }],
    ['contains (list)', { labels: { contains: 'api' } }, { labels: { contains: 'web' } }],
    ['notContains', { labels: { notContains: 'web' } }, { labels: { notContains: 'api' } }],
    ['beginsWith', { title: { beginsWith: 'Ship' } }, { title: { beginsWith: 'the' } }],
    ['in', { status: { in: ['TODO', 'IN_PROGRESS'] } }, { status: { in: ['TODO', 'DONE'] } }],
    ['notIn', { status: { notIn: ['TODO', 'DONE'] } }, { status: { notIn: ['IN_PROGRESS'] } }],
    ['between', { priority: { between: [1, 3] } }, { priority: { between: [4, 5] } }],
    ['containsAny', { labels: { containsAny: ['web', 'urgent'] } }, { labels: { containsAny: ['web', 'docs'] } }],
    ['attributeExists', { taskId: { attributeExists: true } }, { assigneeId: { attributeExists: true } }],
  ])('%s passes what it should and stops what it should not', (_, passing, failing) => {
    expect(matchesFilter(filter(passing), event)).toBe(true);
    expect(matchesFilter(filter(failing), event)).toBe(false);
  });

  it('ANDs the conditions of a group and ORs the groups', () => {
    const both = filter({ status: { eq: 'IN_PROGRESS' }, priority: { gt: 2 } });
    expect(matchesFilter(both, event)).toBe(true);
    expect(matchesFilter(filter({ status: { eq: 'IN_PROGRESS' }, priority: { gt: 5 } }), event)).toBe(false);
    const either = filter({ or: [{ status: { eq: 'DONE' } }, { labels: { contains: 'urgent' } }] });
    expect(matchesFilter(either, event)).toBe(true);
    expect(matchesFilter(filter({ or: [{ status: { eq: 'DONE' } }, { labels: { contains: 'web' } }] }), event)).toBe(false);
  });

  it('reads nested fields by dotted path', () => {
    expect(matchesFilter({ filterGroup: [{ filters: [{ fieldName: 'task.version', operator: 'ge', value: 4 }] }] }, event)).toBe(true);
    expect(matchesFilter({ filterGroup: [{ filters: [{ fieldName: 'task.version', operator: 'gt', value: 4 }] }] }, event)).toBe(false);
  });

  it('refuses malformed filters when a subscription starts, with a reason', () => {
    expect(invalidFilterReason(filter({ status: { eq: 'x' } }))).toBeUndefined();
    expect(invalidFilterReason({})).toMatch(/filterGroup/);
    expect(invalidFilterReason({ filterGroup: [{ filters: [] }] })).toMatch(/non-empty/);
    expect(invalidFilterReason({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'like', value: 1 }] }] })).toMatch(/unknown filter operator "like"/);
  });
});

describe('argument filters', () => {
  it('a given argument must equal the response field of that name; null matches only null; absent means any', () => {
    expect(matchesArguments({ taskId: 't-1', assigneeId: null }, event)).toBe(true);
    expect(matchesArguments({ taskId: 't-1', status: null }, event)).toBe(false);
    // AppSync: an argument given as null delivers only events where that field is null.
    expect(matchesArguments({ taskId: null }, event)).toBe(false);
    expect(matchesArguments({ taskId: undefined }, event)).toBe(true);
    expect(matchesArguments({ taskId: 't-2' }, event)).toBe(false);
    expect(matchesArguments({ type: 'TASK_CREATED' }, event)).toBe(false); // a field the mutation did not return
    expect(matchesArguments({}, event)).toBe(true);
  });
});
