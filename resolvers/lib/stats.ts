import { util } from '@aws-appsync/utils';

export const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'];
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];
const DAY_MS = 86400000;
const LAST_DAYS = [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

/**
 * The figures from the counters item the boardStats function keeps (functions/shared/board-stats.ts
 * names the attributes: s_<status>, p_<priority>, a_<assignee>, d_<due day> for open tasks, c_<day>
 * for tasks completed that day). The same arithmetic as `figuresOf` there, for "today" now.
 */
export function figures(item: Record<string, unknown> | null) {
  const counters = item || {};
  const count = (name: string) => {
    const value = counters[name];
    return typeof value === 'number' ? value : 0;
  };
  const nowMs = util.time.nowEpochMilliSeconds();
  const today = util.time.epochMilliSecondsToISO8601(nowMs).slice(0, 10);
  const keys = Object.keys(counters);
  const overdue = keys
    .filter((k) => k.slice(0, 2) === 'd_' && k.slice(2) < today)
    .reduce((sum, k) => sum + count(k), 0);
  const openByAssignee = keys
    .filter((k) => k.slice(0, 2) === 'a_' && count(k) > 0)
    .sort()
    .map((k) => ({ assigneeId: k.slice(2), count: count(k) }));
  return {
    total: count('total'),
    byStatus: STATUSES.map((status) => ({ status, count: count(`s_${status}`) })),
    byPriority: PRIORITIES.map((priority) => ({ priority, count: count(`p_${priority}`) })),
    overdue,
    openByAssignee,
    completedPerDay: LAST_DAYS.map((back) => {
      const day = util.time.epochMilliSecondsToISO8601(nowMs - back * DAY_MS).slice(0, 10);
      return { day, count: count(`c_${day}`) };
    }),
    updatedAt: counters.updatedAt || null,
  };
}
