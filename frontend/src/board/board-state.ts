/**
 * The board's tasks as columns in rank order, changed one task at a time. Every change touches
 * only the columns the task leaves and enters, and keeps every other column (and every other
 * task object) as it was, so React re-renders only what changed: with 500 cards an event costs a
 * binary search and one column copy, not a re-sort of the board.
 *
 * A task is replaced only by a newer version of itself; a deleted task leaves a tombstone, so an
 * older event about it (a replay after a reconnect, a late answer) cannot bring it back.
 */
import { STATUSES, type Task, type TaskStatus } from './model.ts';
import { compareRanks } from './rank.ts';

export type Columns = Readonly<Record<TaskStatus, readonly Task[]>>;

export interface BoardState {
  readonly tasks: ReadonlyMap<string, Task>;
  readonly columns: Columns;
  /** Deleted task ids and the version they were deleted at. */
  readonly tombstones: ReadonlyMap<string, number>;
}

/** Card order within a column: rank, then id so that equal ranks still sort the same everywhere. */
export function compareTasks(a: Task, b: Task): number {
  return compareRanks(a.rank, b.rank) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A board holding these tasks (in any order; duplicates keep the newest version). */
export function boardOf(tasks: Iterable<Task>): BoardState {
  const byId = new Map<string, Task>();
  for (const task of tasks) {
    const known = byId.get(task.id);
    if (!known || known.version < task.version) byId.set(task.id, task);
  }
  const columns = Object.fromEntries(STATUSES.map((status) => [status, [] as Task[]])) as Record<TaskStatus, Task[]>;
  for (const task of byId.values()) columns[task.status].push(task);
  for (const status of STATUSES) columns[status].sort(compareTasks);
  return { tasks: byId, columns, tombstones: new Map() };
}

export const emptyBoard: BoardState = boardOf([]);

/**
 * Puts a task on the board if it is newer than the one there (or `force`, for optimistic changes
 * and their rollback, which keep the version). Returns the same state when nothing changed.
 */
export function putTask(state: BoardState, task: Task, { force = false } = {}): BoardState {
  const known = state.tasks.get(task.id);
  if (known === task) return state;
  if (!force) {
    if (known && known.version >= task.version) return state;
    const deletedAt = state.tombstones.get(task.id);
    if (deletedAt !== undefined && deletedAt >= task.version) return state;
  }
  const tasks = new Map(state.tasks);
  tasks.set(task.id, task);
  let columns: Record<TaskStatus, readonly Task[]> = { ...state.columns };
  if (known) columns[known.status] = without(columns[known.status], known);
  columns = { ...columns, [task.status]: inserted(columns[task.status], task) };
  return { tasks, columns, tombstones: state.tombstones };
}

/** Takes a task off the board, remembering it was deleted at `version` (default: the one there). */
export function removeTask(state: BoardState, id: string, version?: number): BoardState {
  const known = state.tasks.get(id);
  const deletedAt = version ?? known?.version ?? Number.MAX_SAFE_INTEGER;
  if (known && known.version > deletedAt) return state;
  const tombstones = new Map(state.tombstones);
  tombstones.set(id, Math.max(deletedAt, tombstones.get(id) ?? 0));
  if (!known) return { ...state, tombstones };
  const tasks = new Map(state.tasks);
  tasks.delete(id);
  return { tasks, columns: { ...state.columns, [known.status]: without(state.columns[known.status], known) }, tombstones };
}

function without(column: readonly Task[], task: Task): readonly Task[] {
  const at = column.indexOf(task);
  if (at < 0) return column.filter((t) => t.id !== task.id);
  return [...column.slice(0, at), ...column.slice(at + 1)];
}

function inserted(column: readonly Task[], task: Task): readonly Task[] {
  let low = 0;
  let high = column.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareTasks(column[mid], task) < 0) low = mid + 1;
    else high = mid;
  }
  return [...column.slice(0, low), task, ...column.slice(low)];
}
