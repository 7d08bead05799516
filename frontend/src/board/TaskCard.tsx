/**
 * A card on the board: title (a link to the task), priority, due date (overdue said in words, not
 * only in colour), labels and assignee. The card is dragged with the pointer from anywhere on it,
 * or with the keyboard from its move handle; cards re-render only when their own props change.
 */
import type { DraggableAttributes } from '@dnd-kit/core';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo, useId } from 'react';
import { Link } from '../app/router.tsx';
import { formatDay, initials, isOverdue } from './format.ts';
import { PRIORITY_LABELS, type Task } from './model.ts';

export interface TaskCardProps {
  task: Task;
  /** The assignee's name; undefined when unassigned. */
  assignee: string | undefined;
  /** Where the title links: the task's drawer, keeping the board's filters. */
  href: string;
  /** YYYY-MM-DD, for "overdue". */
  today: string;
  /** True while someone else's change to it is news. */
  highlighted: boolean;
  /** True while the person's own move is on its way. */
  pending: boolean;
  /** False when this person may not move it (members: tasks not assigned to them). */
  movable: boolean;
}

/**
 * The move handle's wiring from useSortable, passed as two props that keep their identity between
 * renders (dnd-kit memoises both), so a drag elsewhere on the board does not re-render this card.
 */
interface HandleProps {
  handleRef?(element: HTMLElement | null): void;
  handleAttributes?: DraggableAttributes;
}

/** A card in a column: sortable, with the card's content below. */
export const TaskCard = memo(function TaskCard(props: TaskCardProps) {
  const { task, movable, pending } = props;
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({
    id: task.id,
    // Cards that cannot move still mark the places between which others can be dropped.
    disabled: { draggable: !movable || pending, droppable: false },
    attributes: { roleDescription: 'movable card' },
  });
  return (
    <li
      ref={setNodeRef}
      className={`board-card-slot${isDragging ? ' board-card-placeholder' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      {...(movable ? listeners : undefined)}
    >
      <CardView {...props} handleRef={movable ? setActivatorNodeRef : undefined} handleAttributes={movable ? attributes : undefined} />
    </li>
  );
});

/** The card's content, also shown floating under the pointer while it is dragged. */
export const CardView = memo(function CardView({
  task,
  assignee,
  href,
  today,
  highlighted,
  pending,
  handleRef,
  handleAttributes,
  floating = false,
}: TaskCardProps & HandleProps & { floating?: boolean }) {
  const titleId = useId();
  const overdue = isOverdue(task, today);
  const classes = [
    'board-card',
    `board-card-${task.priority.toLowerCase()}`,
    highlighted && 'board-card-live',
    pending && 'board-card-pending',
    floating && 'board-card-floating',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <article className={classes} aria-labelledby={titleId} aria-busy={pending || undefined} data-task-id={task.id}>
      <div className="board-card-top">
        <h3 className="board-card-title" id={titleId}>
          <Link to={href} draggable={false}>
            {task.title}
          </Link>
        </h3>
        {handleAttributes && (
          <button ref={handleRef} type="button" className="board-card-handle" aria-label={`Move “${task.title}”`} {...handleAttributes}>
            <GripIcon />
          </button>
        )}
        {floating && (
          <span className="board-card-handle" aria-hidden="true">
            <GripIcon />
          </span>
        )}
      </div>
      <div className="board-card-meta">
        <span className={`board-priority board-priority-${task.priority.toLowerCase()}`}>
          <span aria-hidden="true" className="board-priority-mark" />
          {PRIORITY_LABELS[task.priority]}
          <span className="visually-hidden"> priority</span>
        </span>
        {task.dueDate && (
          <span className={`board-due${overdue ? ' board-due-overdue' : ''}`}>
            {overdue ? (
              <>
                <span aria-hidden="true">⚠ </span>Overdue · {formatDay(task.dueDate, { short: true })}
              </>
            ) : (
              <>Due {formatDay(task.dueDate, { short: true })}</>
            )}
          </span>
        )}
      </div>
      {task.labels.length > 0 && (
        <ul className="board-labels" aria-label="Labels">
          {task.labels.map((label) => (
            <li key={label} className="board-label">
              {label}
            </li>
          ))}
        </ul>
      )}
      <div className="board-card-foot">
        {assignee ? (
          <span className="board-assignee">
            <span className="board-avatar" aria-hidden="true">
              {initials(assignee)}
            </span>
            <span className="visually-hidden">Assigned to </span>
            {assignee}
          </span>
        ) : (
          <span className="board-assignee board-assignee-none">Unassigned</span>
        )}
        {pending && <span className="board-saving">Saving…</span>}
        {highlighted && <span className="board-live-tag">Just changed</span>}
      </div>
    </article>
  );
});

function GripIcon() {
  return (
    <svg width="14" height="20" viewBox="0 0 14 20" aria-hidden="true" focusable="false">
      {[3, 10, 17].map((y) => [4, 10].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.7" fill="currentColor" />))}
    </svg>
  );
}
