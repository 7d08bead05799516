/**
 * The board's figures as the charts show them: fixed orders, people's words for the enums, and
 * the few numbers derived from the counters (open tasks, unassigned, done in 14 days). Pure
 * functions, so the charts only draw.
 */
import type { BoardStatsFieldsFragment, TaskPriority, TaskStatus } from '../generated/graphql.ts';
import { PRIORITY_LABELS, STATUS_LABELS } from '../data/task-labels.ts';

/** One bar, slice or column: `key` picks its colour, `label` is what people read. */
export interface Datum {
  key: string;
  label: string;
  value: number;
  /** A longer label for screen readers and tooltips (a column's full date). */
  longLabel?: string;
  /** A shorter label where space is tight (a column's day of the month). */
  shortLabel?: string;
  /** Drawn with emphasis (today's column). */
  current?: boolean;
}

export type BoardStats = BoardStatsFieldsFragment;

export { PRIORITY_LABELS, STATUS_LABELS };

const statusCount = (stats: BoardStats, status: TaskStatus) => stats.byStatus.find((item) => item.status === status)?.count ?? 0;
const priorityCount = (stats: BoardStats, priority: TaskPriority) => stats.byPriority.find((item) => item.priority === priority)?.count ?? 0;

/** Tasks per status, in board order; a status the counters lack counts 0. */
export function statusData(stats: BoardStats): Datum[] {
  return (Object.keys(STATUS_LABELS) as TaskStatus[]).map((status) => ({
    key: status,
    label: STATUS_LABELS[status],
    value: statusCount(stats, status),
  }));
}

/** Tasks per priority, most pressing first. */
export function priorityData(stats: BoardStats): Datum[] {
  return (Object.keys(PRIORITY_LABELS) as TaskPriority[]).map((priority) => ({
    key: priority,
    label: PRIORITY_LABELS[priority],
    value: priorityCount(stats, priority),
  }));
}

/** The headline numbers. */
export function summaryOf(stats: BoardStats) {
  const done = statusCount(stats, 'DONE');
  return {
    total: stats.total,
    open: Math.max(0, stats.total - done),
    overdue: stats.overdue,
    doneInWindow: stats.completedPerDay.reduce((sum, day) => sum + day.count, 0),
  };
}

/** Someone assigned tasks who is no longer an active teammate (disabled or erased). */
export const FORMER_MEMBER = 'Former member';

/**
 * Open tasks per person, most first (ties by name), with the open tasks nobody has as
 * "Unassigned" at the end: the counters leave those out, the difference gives them back.
 */
export function assigneeData(stats: BoardStats, names: ReadonlyMap<string, string>): Datum[] {
  const people = stats.openByAssignee
    .filter((entry) => entry.count > 0)
    .map((entry) => ({ key: entry.assigneeId, label: names.get(entry.assigneeId) ?? FORMER_MEMBER, value: entry.count }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const assigned = people.reduce((sum, person) => sum + person.value, 0);
  const unassigned = summaryOf(stats).open - assigned;
  return unassigned > 0 ? [...people, { key: 'unassigned', label: 'Unassigned', value: unassigned }] : people;
}

const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);
const shortDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', timeZone: 'UTC' });
const dayOfMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/**
 * Tasks completed per day, oldest first, today last. Days are UTC dates (as the counters keep
 * them), so they are formatted in UTC: a local time zone must not move them a day.
 */
export function dayData(stats: BoardStats): Datum[] {
  const last = stats.completedPerDay.length - 1;
  return stats.completedPerDay.map((entry, index) => ({
    key: entry.day,
    label: index === last ? 'Today' : shortDay.format(utcDay(entry.day)),
    longLabel: index === last ? `Today, ${longDay.format(utcDay(entry.day))}` : longDay.format(utcDay(entry.day)),
    shortLabel: index === last ? 'Today' : dayOfMonth.format(utcDay(entry.day)),
    value: entry.count,
    current: index === last,
  }));
}

/** "3 tasks", "1 task". */
export function tasks(count: number): string {
  return `${count} ${count === 1 ? 'task' : 'tasks'}`;
}
