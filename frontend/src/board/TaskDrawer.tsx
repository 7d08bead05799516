/**
 * The task drawer (`/board/<id>`): a side panel over the board (the whole screen on phones) with
 * the task's details, a way to move it without dragging, edit and delete, its comments and its
 * history. A task no longer on the board is looked up once; a deleted one still shows its history.
 */
import { useCurrentBoard } from '../boards/current-board.tsx';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { apiError, type ApiError } from '../data/errors.ts';
import { BoardTaskDocument } from '../generated/graphql.ts';
import { ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { formatDay, formatInstant, formatWhen, isOverdue, personName, type People } from './format.ts';
import { canChange, canDeleteTasks, PRIORITY_LABELS, STATUS_LABELS, STATUSES, type Task, type TaskStatus, type Viewer } from './model.ts';
import { TaskComments } from './TaskComments.tsx';
import { TaskHistory } from './TaskHistory.tsx';

export interface TaskDrawerProps {
  taskId: string;
  /** The task as the board has it; undefined when it is not on the board. */
  task: Task | undefined;
  /** False while the board is still loading (the task may yet appear). */
  boardReady: boolean;
  people: People;
  viewer: Viewer | null;
  pending: boolean;
  onClose(): void;
  onEdit(task: Task): void;
  onDelete(task: Task): void;
  onMoveTo(task: Task, status: TaskStatus): void;
}

export function TaskDrawer({ taskId, task: onBoard, boardReady, people, viewer, pending, onClose, onEdit, onDelete, onMoveTo }: TaskDrawerProps) {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const lookup = useTaskLookup(taskId, boardReady && !onBoard);
  const task = onBoard ?? lookup.task;

  // Focus the drawer's title when it opens (or shows another task), for keyboard and screen readers.
  useEffect(() => heading.current?.focus(), [taskId, !!task]);

  // Escape closes the drawer when focus is in it or nowhere in particular (after a dialog closed).
  const drawer = useRef<HTMLElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const focus = document.activeElement;
      if (focus && focus !== document.body && !drawer.current?.contains(focus)) return;
      event.preventDefault();
      closeRef.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
  const top = useHeaderBottom();

  const name = task?.title ?? (lookup.gone ? 'Deleted task' : 'Task');
  return (
    <aside
      ref={drawer}
      className="board-drawer"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      style={{ '--board-drawer-top': `${top}px` } as CSSProperties}
    >
      <header className="board-drawer-header">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          {name}
        </h2>
        <button type="button" className="icon-button" aria-label="Close task details" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="board-drawer-body">
        {task ? (
          <TaskDetails
            task={task}
            people={people}
            viewer={viewer}
            pending={pending}
            offBoard={!onBoard}
            onEdit={onEdit}
            onDelete={onDelete}
            onMoveTo={onMoveTo}
          />
        ) : lookup.error ? (
          <ErrorBanner error={lookup.error} />
        ) : lookup.gone ? (
          <p className="board-notice">This task has been deleted. Its history is kept below.</p>
        ) : (
          <Spinner label="Loading the task…" />
        )}
        {(task || lookup.gone) && (
          <>
            {task && onBoard && <TaskComments taskId={taskId} people={people} viewer={viewer} />}
            <TaskHistory taskId={taskId} version={task?.version} people={people} me={viewer?.userId} />
          </>
        )}
      </div>
    </aside>
  );
}

function TaskDetails({
  task,
  people,
  viewer,
  pending,
  offBoard,
  onEdit,
  onDelete,
  onMoveTo,
}: {
  task: Task;
  people: People;
  viewer: Viewer | null;
  pending: boolean;
  /** Not on the board (deleted meanwhile, or looked up): shown, not changed. */
  offBoard: boolean;
  onEdit(task: Task): void;
  onDelete(task: Task): void;
  onMoveTo(task: Task, status: TaskStatus): void;
}) {
  const moveId = useId();
  const mayChange = canChange(viewer, task) && !offBoard;
  const overdue = isOverdue(task);
  return (
    <>
      <div className="board-drawer-actions">
        {mayChange && (
          <button type="button" className="button button-primary" onClick={() => onEdit(task)}>
            Edit task
          </button>
        )}
        {canDeleteTasks(viewer) && !offBoard && (
          <button type="button" className="button button-danger" onClick={() => onDelete(task)}>
            Delete task
          </button>
        )}
      </div>
      {!mayChange && !offBoard && <p className="board-muted">Only an admin or the person this task is assigned to can change it.</p>}
      <dl className="board-details">
        <dt>{mayChange ? <label htmlFor={moveId}>Status</label> : 'Status'}</dt>
        <dd>
          {mayChange ? (
            <select id={moveId} value={task.status} disabled={pending} onChange={(e) => onMoveTo(task, e.target.value as TaskStatus)}>
              {STATUSES.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </select>
          ) : (
            STATUS_LABELS[task.status]
          )}
        </dd>
        <dt>Priority</dt>
        <dd>
          <span className={`board-priority board-priority-${task.priority.toLowerCase()}`}>
            <span aria-hidden="true" className="board-priority-mark" />
            {PRIORITY_LABELS[task.priority]}
          </span>
        </dd>
        <dt>Assignee</dt>
        <dd>{task.assigneeId ? personName(people, task.assigneeId) : 'Unassigned'}</dd>
        <dt>Due date</dt>
        <dd className={overdue ? 'board-due-overdue' : undefined}>
          {task.dueDate ? (overdue ? `⚠ Overdue · was due ${formatDay(task.dueDate)}` : formatDay(task.dueDate)) : 'No due date'}
        </dd>
        <dt>Labels</dt>
        <dd>
          {task.labels.length === 0 ? (
            'No labels'
          ) : (
            <ul className="board-labels" aria-label="Labels">
              {task.labels.map((label) => (
                <li key={label} className="board-label">
                  {label}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          {personName(people, task.createdBy, viewer?.userId)},{' '}
          <time dateTime={task.createdAt} title={formatInstant(task.createdAt)}>
            {formatWhen(task.createdAt)}
          </time>
        </dd>
        <dt>Last change</dt>
        <dd>
          {personName(people, task.updatedBy, viewer?.userId)},{' '}
          <time dateTime={task.updatedAt} title={formatInstant(task.updatedAt)}>
            {formatWhen(task.updatedAt)}
          </time>
        </dd>
      </dl>
      <section className="board-drawer-section" aria-label="Description">
        {task.description ? <p className="board-description">{task.description}</p> : <p className="board-muted">No description.</p>}
      </section>
    </>
  );
}

/** Looks a task up when it is not on the board: it may be older than ranks, or deleted. */
function useTaskLookup(id: string, needed: boolean): { task?: Task; gone: boolean; error?: ApiError } {
  const client = useApolloClient();
  const { id: boardId } = useCurrentBoard();
  const [result, setResult] = useState<{ id: string; task?: Task; gone: boolean; error?: ApiError }>();
  useEffect(() => {
    if (!needed) return;
    let cancelled = false;
    client.query({ query: BoardTaskDocument, variables: { boardId, id }, fetchPolicy: 'network-only' }).then(
      ({ data }) => !cancelled && setResult({ id, task: data?.task ?? undefined, gone: !data?.task }),
      (failure: unknown) => !cancelled && setResult({ id, gone: false, error: apiError(failure) }),
    );
    return () => {
      cancelled = true;
    };
  }, [client, boardId, id, needed]);
  return result?.id === id && needed ? result : { gone: false };
}

/** Where the app's header ends, so the drawer leaves the header (notifications, sign out) usable. */
function useHeaderBottom(): number {
  const [bottom, setBottom] = useState(0);
  useLayoutEffect(() => {
    const header = document.querySelector<HTMLElement>('.shell-header');
    if (!header) return;
    const measure = () => setBottom(Math.max(0, header.getBoundingClientRect().bottom));
    measure();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined;
    observer?.observe(header);
    window.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer?.disconnect();
      window.removeEventListener('scroll', measure);
    };
  }, []);
  return bottom;
}
