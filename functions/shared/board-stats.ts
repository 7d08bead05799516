import type { TaskRecord } from './task-event.ts';

/**
 * The dashboard counters of one board, kept in one BoardStats item: `total`, `s_<status>`,
 * `p_<priority>`, `a_<assigneeId>` (open tasks per assignee), `d_<due day>` (open tasks due that
 * day, which makes "overdue" a sum over days before today) and `c_<day>` (tasks DONE, by the day
 * they were completed). resolvers/lib/stats.ts reads the same names.
 */
export type Counters = Record<string, number>;

export const STATUSES = ['TODO', 'IN_PROGRESS', 'BLOCKED', 'DONE'] as const;
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] as const;

/** What one task adds to the counters. */
export function contribution(task: Partial<TaskRecord> | undefined): Counters {
  if (!task) return {};
  const out: Counters = { total: 1 };
  if (task.status) out[`s_${task.status}`] = 1;
  if (task.priority) out[`p_${task.priority}`] = 1;
  const open = task.status !== 'DONE';
  if (open && task.assigneeId) out[`a_${task.assigneeId}`] = 1;
  if (open && task.dueDate) out[`d_${task.dueDate.slice(0, 10)}`] = 1;
  if (!open && task.completedAt) out[`c_${task.completedAt.slice(0, 10)}`] = 1;
  return out;
}

/** The change of the counters from one version of a task to the next (zeros left out). */
export function delta(before: Partial<TaskRecord> | undefined, after: Partial<TaskRecord> | undefined): Counters {
  const out: Counters = {};
  for (const [name, n] of Object.entries(contribution(after))) out[name] = (out[name] ?? 0) + n;
  for (const [name, n] of Object.entries(contribution(before))) out[name] = (out[name] ?? 0) - n;
  for (const name of Object.keys(out)) if (out[name] === 0) delete out[name];
  return out;
}

/** The counters of a whole set of tasks: what a recount from the table gives. */
export function countersOf(tasks: Partial<TaskRecord>[]): Counters {
  const out: Counters = {};
  for (const task of tasks) for (const [name, n] of Object.entries(contribution(task))) out[name] = (out[name] ?? 0) + n;
  return out;
}

export interface BoardFigures {
  total: number;
  byStatus: { status: string; count: number }[];
  byPriority: { priority: string; count: number }[];
  overdue: number;
  openByAssignee: { assigneeId: string; count: number }[];
  completedPerDay: { day: string; count: number }[];
  updatedAt: string | null;
}

/** The figures as the API shows them, for `now` (UTC days). Same arithmetic as resolvers/lib/stats.ts. */
export function figuresOf(counters: Record<string, unknown>, now = new Date()): BoardFigures {
  const count = (name: string) => (typeof counters[name] === 'number' ? (counters[name] as number) : 0);
  const today = now.toISOString().slice(0, 10);
  const keys = Object.keys(counters);
  return {
    total: count('total'),
    byStatus: STATUSES.map((status) => ({ status, count: count(`s_${status}`) })),
    byPriority: PRIORITIES.map((priority) => ({ priority, count: count(`p_${priority}`) })),
    overdue: keys.filter((k) => k.startsWith('d_') && k.slice(2) < today).reduce((sum, k) => sum + count(k), 0),
    openByAssignee: keys
      .filter((k) => k.startsWith('a_') && count(k) > 0)
      .sort()
      .map((k) => ({ assigneeId: k.slice(2), count: count(k) })),
    completedPerDay: Array.from({ length: 14 }, (_, i) => {
      const day = new Date(now.getTime() - (13 - i) * 86_400_000).toISOString().slice(0, 10);
      return { day, count: count(`c_${day}`) };
    }),
    updatedAt: typeof counters.updatedAt === 'string' ? counters.updatedAt : null,
  };
}

/** The GraphQL selection of BoardStats, shared by the publisher's mutation and clients. */
export const BOARD_STATS_FIELDS = `total overdue updatedAt byStatus { status count } byPriority { priority count }
  openByAssignee { assigneeId count } completedPerDay { day count }`;
