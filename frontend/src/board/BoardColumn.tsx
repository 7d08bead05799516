/**
 * One status column: a region and a list named by the status ("In progress"), its cards in rank
 * order, and a drop area that also takes cards when the column is empty.
 */
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { memo, useId, useMemo } from 'react';
import { columnDropId } from './drag.ts';
import type { People } from './format.ts';
import { canChange, STATUS_LABELS, type Task, type TaskStatus, type Viewer } from './model.ts';
import { TaskCard } from './TaskCard.tsx';

export interface BoardColumnProps {
  status: TaskStatus;
  /** The cards shown, in order. */
  tasks: readonly Task[];
  /** How many cards the column holds before filters. */
  total: number;
  filtered: boolean;
  people: People;
  viewer: Viewer | null;
  today: string;
  search: string;
  pending: ReadonlySet<string>;
  highlights: ReadonlySet<string>;
}

export const BoardColumn = memo(function BoardColumn({
  status,
  tasks,
  total,
  filtered,
  people,
  viewer,
  today,
  search,
  pending,
  highlights,
}: BoardColumnProps) {
  const headingId = useId();
  const { setNodeRef, isOver } = useDroppable({ id: columnDropId(status) });
  const ids = useMemo(() => tasks.map((task) => task.id), [tasks]);
  const count = filtered ? `${tasks.length} of ${total}` : String(total);
  return (
    <section className={`board-column board-column-${status.toLowerCase()}`} aria-labelledby={headingId}>
      <header className="board-column-header">
        <h2 id={headingId}>{STATUS_LABELS[status]}</h2>
        {/* aria-label is not read on a plain span: the words are there for screen readers instead. */}
        <span className="board-count">
          <span aria-hidden="true">{count}</span>
          <span className="visually-hidden">{`${count} ${total === 1 && !filtered ? 'task' : 'tasks'}`}</span>
        </span>
      </header>
      <div ref={setNodeRef} className={`board-column-body${isOver ? ' board-column-over' : ''}`}>
        <SortableContext id={status} items={ids} strategy={verticalListSortingStrategy}>
          <ol className="board-list" aria-labelledby={headingId}>
            {tasks.map((task) => (
              <TaskCard
                key={task.id}
                task={task}
                assignee={task.assigneeId ? people.get(task.assigneeId) ?? 'A former teammate' : undefined}
                href={`/board/${encodeURIComponent(task.id)}${search}`}
                today={today}
                highlighted={highlights.has(task.id)}
                pending={pending.has(task.id)}
                movable={canChange(viewer, task)}
              />
            ))}
          </ol>
        </SortableContext>
        {tasks.length === 0 && <p className="board-empty">{filtered && total > 0 ? 'No tasks match the filters' : 'No tasks'}</p>}
      </div>
    </section>
  );
});
