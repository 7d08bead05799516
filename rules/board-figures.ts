/**
 * The dashboard figures of one board, written once for the boardStats function (which keeps the
 * counters), the boardStats resolver (which reads them) and the web app. APPSYNC_JS-safe like
 * task-rules.ts: no clock (callers pass the time), no Date (days are computed from epoch
 * milliseconds), no imports.
 *
 * The counters live in one BoardStats item per board: `total`, `s_<status>`, `p_<priority>`,
 * `a_<assigneeId>` (open tasks per assignee), `d_<due day>` (open tasks due that day, which makes
 * "overdue" a sum over the days before today) and `c_<day>` (tasks DONE, by the day they were
 * completed).
 */
import { PRIORITIES, STATUSES } from './task-rules.ts';

/** Counter name -> count. */
export type Counters = Record<string, number>;

/** The task fields the counters follow. */
export interface CountedTask {
  status?: string | null;
  priority?: string | null;
  assigneeId?: string | null;
  dueDate?: string | null;
  completedAt?: string | null;
}

const DAY_MS = 86400000;
/** The days the completion chart shows, counted back from today. */
export const COMPLETED_DAYS = 14;
const DAYS_BACK = [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

/** What one task adds to the counters. */
export function contribution(task: CountedTask | null | undefined): Counters {
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

/** Adds `counters` times `sign` into `into`. */
function addInto(into: Counters, counters: Counters, sign: number): void {
  Object.keys(counters).forEach((name) => {
    into[name] = (into[name] || 0) + sign * counters[name];
  });
}

/** The change of the counters from one version of a task to the next (zeros left out). */
export function delta(before: CountedTask | null | undefined, after: CountedTask | null | undefined): Counters {
  const out: Counters = {};
  addInto(out, contribution(after), 1);
  addInto(out, contribution(before), -1);
  const kept: Counters = {};
  Object.keys(out)
    .filter((name) => out[name] !== 0)
    .forEach((name) => {
      kept[name] = out[name];
    });
  return kept;
}

/** The sum of several changes (a batch of stream records), zeros left out. */
export function sumOf(changes: Counters[]): Counters {
  const out: Counters = {};
  changes.forEach((change) => addInto(out, change, 1));
  const kept: Counters = {};
  Object.keys(out)
    .filter((name) => out[name] !== 0)
    .forEach((name) => {
      kept[name] = out[name];
    });
  return kept;
}

/** The counters of a whole set of tasks: what a recount from the table gives. */
export function countersOf(tasks: CountedTask[]): Counters {
  return sumOf(tasks.map((task) => contribution(task)));
}

/** Counters that may be dropped once they reach zero (the item stays small). */
export function isPrunable(name: string): boolean {
  const kind = name.slice(0, 2);
  return kind === 'a_' || kind === 'd_';
}

function pad(n: number, width: number): string {
  const text = `${n}`;
  return '0000'.slice(0, Math.max(0, width - text.length)) + text;
}

/** The UTC day (YYYY-MM-DD) of an instant in epoch milliseconds (civil-from-days, proleptic Gregorian). */
export function utcDay(epochMs: number): string {
  const days = Math.floor(epochMs / DAY_MS) + 719468;
  const era = Math.floor(days / 146097);
  const dayOfEra = days - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The figures as the API shows them (BoardStats). */
export interface BoardFigures {
  total: number;
  byStatus: { status: string; count: number }[];
  byPriority: { priority: string; count: number }[];
  overdue: number;
  openByAssignee: { assigneeId: string; count: number }[];
  completedPerDay: { day: string; count: number }[];
  updatedAt: string | null;
}

/** The figures from a counters item, for the instant `nowMs` (days are UTC). */
export function figuresOf(item: Record<string, unknown> | null | undefined, nowMs: number): BoardFigures {
  const counters = item || {};
  const count = (name: string): number => {
    const value = counters[name];
    return typeof value === 'number' ? value : 0;
  };
  const today = utcDay(nowMs);
  const names = Object.keys(counters);
  return {
    total: count('total'),
    byStatus: STATUSES.map((status) => ({ status, count: count(`s_${status}`) })),
    byPriority: PRIORITIES.map((priority) => ({ priority, count: count(`p_${priority}`) })),
    overdue: names.filter((name) => name.slice(0, 2) === 'd_' && name.slice(2) < today).reduce((sum, name) => sum + count(name), 0),
    openByAssignee: names
      .filter((name) => name.slice(0, 2) === 'a_' && count(name) > 0)
      .sort()
      .map((name) => ({ assigneeId: name.slice(2), count: count(name) })),
    completedPerDay: DAYS_BACK.map((back) => {
      const day = utcDay(nowMs - back * DAY_MS);
      return { day, count: count(`c_${day}`) };
    }),
    updatedAt: typeof counters.updatedAt === 'string' ? counters.updatedAt : null,
  };
}
