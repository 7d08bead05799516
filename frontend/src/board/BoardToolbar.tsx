/**
 * Above the columns: the board's title, the filters (assignee, label, only mine) and, for admins,
 * the button that creates a task.
 */
import { useId } from 'react';
import { isFiltered, NOBODY, noFilters, type BoardFilters } from './filters.ts';
import type { Teammate } from './load-board.ts';

export interface BoardToolbarProps {
  filters: BoardFilters;
  onFilters(filters: BoardFilters): void;
  teammates: Teammate[];
  labels: string[];
  shown: number;
  total: number;
  canCreate: boolean;
  onCreate(): void;
}

export function BoardToolbar({ filters, onFilters, teammates, labels, shown, total, canCreate, onCreate }: BoardToolbarProps) {
  const assigneeId = useId();
  const labelId = useId();
  const mineId = useId();
  const filtered = isFiltered(filters);
  // A label in the address that no task has (any more) still shows as chosen.
  const labelOptions = filters.label && !labels.includes(filters.label) ? [filters.label, ...labels] : labels;
  return (
    <div className="board-toolbar">
      <div className="board-title">
        <h1 id="board-title">Board</h1>
        <p className="board-muted" role="status">
          {filtered ? `Showing ${shown} of ${total} tasks` : `${total} ${total === 1 ? 'task' : 'tasks'}`}
        </p>
      </div>
      <form className="board-filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
        <div className="board-filter">
          <label htmlFor={assigneeId}>Assignee</label>
          <select id={assigneeId} value={filters.assignee ?? ''} onChange={(e) => onFilters({ ...filters, assignee: e.target.value || null })}>
            <option value="">Everyone</option>
            <option value={NOBODY}>Unassigned</option>
            {teammates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name || t.email}
              </option>
            ))}
          </select>
        </div>
        <div className="board-filter">
          <label htmlFor={labelId}>Label</label>
          <select id={labelId} value={filters.label ?? ''} onChange={(e) => onFilters({ ...filters, label: e.target.value || null })}>
            <option value="">Any label</option>
            {labelOptions.map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="board-filter board-filter-check">
          <input id={mineId} type="checkbox" checked={filters.mine} onChange={(e) => onFilters({ ...filters, mine: e.target.checked })} />
          <label htmlFor={mineId}>Only my tasks</label>
        </div>
        {filtered && (
          <button type="button" className="button button-quiet" onClick={() => onFilters(noFilters)}>
            Clear filters
          </button>
        )}
      </form>
      {canCreate && (
        <button type="button" className="button button-primary board-new" onClick={onCreate}>
          <span aria-hidden="true">+</span> New task
        </button>
      )}
    </div>
  );
}
