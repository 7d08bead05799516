/**
 * The board's filters (assignee, label, "mine"), kept in the address so a filtered board can be
 * shared and survives a reload: `/board?assignee=<id>&label=bug&mine=1`.
 */
import type { Task } from './model.ts';

/** `assignee` is a user id, or NOBODY for unassigned tasks. */
export interface BoardFilters {
  assignee: string | null;
  label: string | null;
  mine: boolean;
}

export const NOBODY = 'none';

export const noFilters: BoardFilters = { assignee: null, label: null, mine: false };

export function filtersFrom(search: URLSearchParams): BoardFilters {
  return {
    assignee: search.get('assignee') || null,
    label: search.get('label') || null,
    mine: search.get('mine') === '1',
  };
}

/** The query string for the filters ('' or '?…'). */
export function searchOf(filters: BoardFilters): string {
  const search = new URLSearchParams();
  if (filters.assignee) search.set('assignee', filters.assignee);
  if (filters.label) search.set('label', filters.label);
  if (filters.mine) search.set('mine', '1');
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function isFiltered(filters: BoardFilters): boolean {
  return !!(filters.assignee || filters.label || filters.mine);
}

/** A predicate for the tasks the filters let through; undefined when there are none. */
export function taskMatcher(filters: BoardFilters, me: string | undefined): ((task: Task) => boolean) | undefined {
  if (!isFiltered(filters)) return undefined;
  const { assignee, label, mine } = filters;
  return (task) =>
    (!mine || task.assigneeId === me) &&
    (!assignee || (assignee === NOBODY ? !task.assigneeId : task.assigneeId === assignee)) &&
    (!label || task.labels.includes(label));
}
