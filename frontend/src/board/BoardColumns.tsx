/**
 * The four columns and dragging cards between them (dnd-kit): with a mouse or a finger from
 * anywhere on a card, with the keyboard from its move handle (Space or Enter picks it up, the
 * arrow keys move it, Space or Enter drops it, Escape puts it back), each step announced to
 * screen readers. While a card is dragged the columns show where it would land; when it is
 * dropped, `onMove` gets its new column and its neighbours' ranks.
 */
import {
  closestCenter,
  DndContext,
  DragOverlay,
  getFirstCollision,
  KeyboardSensor,
  MouseSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove } from '@dnd-kit/sortable';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RankPosition } from '../generated/graphql.ts';
import { BoardColumn } from './BoardColumn.tsx';
import type { Columns } from './board-state.ts';
import { boardKeyboardCoordinates, columnOfDropId, findColumn, moveFor, neighboursInColumn, type Lists } from './drag.ts';
import type { People } from './format.ts';
import { STATUS_LABELS, STATUSES, type Task, type TaskStatus, type Viewer } from './model.ts';
import { CardView } from './TaskCard.tsx';

export interface BoardColumnsProps {
  columns: Columns;
  tasks: ReadonlyMap<string, Task>;
  /** Which cards to show; undefined: all. */
  matcher: ((task: Task) => boolean) | undefined;
  people: People;
  viewer: Viewer | null;
  today: string;
  search: string;
  pending: ReadonlySet<string>;
  highlights: ReadonlySet<string>;
  onMove(task: Task, status: TaskStatus, position: RankPosition): void;
}

const instructions = {
  draggable:
    'To move this card, press Space or Enter. Then use the up and down arrow keys to move it within its column, and the left and right arrow keys to move it to another column. Press Space or Enter again to drop it, or Escape to put it back.',
};

export function BoardColumns({ columns, tasks, matcher, people, viewer, today, search, pending, highlights, onMove }: BoardColumnsProps) {
  const visible = useMemo(
    () => (matcher ? (Object.fromEntries(STATUSES.map((s) => [s, columns[s].filter(matcher)])) as unknown as Columns) : columns),
    [columns, matcher],
  );
  // While dragging: the ids each column shows, with the dragged card where it would land.
  const [lists, setLists] = useState<Lists | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  // The lists as picked up; a column the dragged card has not changed keeps its array, so it does
  // not re-render (with 500 cards, re-rendering every column on each step is what makes dragging lag).
  const pickedUp = useRef<Lists | null>(null);
  const shown = useMemo(() => {
    if (!lists) return visible;
    const start = pickedUp.current;
    return Object.fromEntries(
      STATUSES.map((s) => [s, lists[s] === start?.[s] ? visible[s] : lists[s].map((id) => tasks.get(id)).filter((t): t is Task => !!t)]),
    ) as unknown as Columns;
  }, [lists, visible, tasks]);

  // Handlers and dnd-kit callbacks read the latest values without being re-created on every change.
  const latest = useRef({ lists, visible, columns, tasks, onMove });
  latest.current = { lists, visible, columns, tasks, onMove };
  const origin = useRef<{ status: TaskStatus; index: number } | null>(null);
  const lastOver = useRef<UniqueIdentifier | null>(null);
  const justCrossed = useRef(false);
  useEffect(() => {
    // After a card crosses into another column, let the layout settle before measuring again.
    requestAnimationFrame(() => (justCrossed.current = false));
  }, [lists]);

  const sensors = useSensors(
    useSensor(
      MouseSensor,
      useMemo(() => ({ activationConstraint: { distance: 6 } }), []),
    ),
    useSensor(
      TouchSensor,
      useMemo(() => ({ activationConstraint: { delay: 220, tolerance: 8 } }), []),
    ),
    useSensor(
      KeyboardSensor,
      // Instant scrolling: with smooth scrolling the next key press sees where the column was, not where it is.
      useMemo(
        () => ({
          scrollBehavior: 'auto' as const,
          coordinateGetter: boardKeyboardCoordinates(() => latest.current.lists ?? idsOf(latest.current.visible)),
        }),
        [],
      ),
    ),
  );

  // What the dragged card is over: first the column (four candidates), then the card within it
  // (that column's cards only), so each pointer move looks at a column's cards, not the board's.
  const collisionDetection: CollisionDetection = useCallback((args) => {
    const current = latest.current.lists;
    const columnDrops = args.droppableContainers.filter((c) => columnOfDropId(String(c.id)));
    const pointer = pointerWithin({ ...args, droppableContainers: columnDrops });
    const hits = pointer.length > 0 ? pointer : rectIntersection({ ...args, droppableContainers: columnDrops });
    const columnId = getFirstCollision(hits, 'id');
    const column = columnId != null ? columnOfDropId(String(columnId)) : undefined;
    if (column && current) {
      const ids = new Set(current[column]);
      const cards = args.droppableContainers.filter((c) => ids.has(String(c.id)));
      const near = cards.length > 0 ? closestCenter({ ...args, droppableContainers: cards }) : [];
      const overId = getFirstCollision(near, 'id') ?? columnId!;
      lastOver.current = overId;
      return [{ id: overId }];
    }
    // Nothing under the card right after it changed column: the layout is moving; stay put.
    if (justCrossed.current) lastOver.current = args.active.id;
    return lastOver.current != null ? [{ id: lastOver.current }] : [];
  }, []);

  const onDragStart = ({ active }: DragStartEvent) => {
    const id = String(active.id);
    const lists = idsOf(latest.current.visible);
    pickedUp.current = lists;
    const status = findColumn(lists, id);
    origin.current = status ? { status, index: lists[status].indexOf(id) } : null;
    latest.current.lists = lists;
    setActiveId(id);
    setLists(lists);
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    const current = latest.current.lists;
    if (!over || !current) return;
    const id = String(active.id);
    const overId = String(over.id);
    const from = findColumn(current, id);
    const to = findColumn(current, overId);
    if (!from || !to || from === to) return;
    const target = current[to];
    let index = target.length;
    if (!columnOfDropId(overId)) {
      const at = target.indexOf(overId);
      const translated = active.rect.current.translated;
      const below = !!translated && translated.top > over.rect.top + over.rect.height / 2;
      index = at >= 0 ? at + (below ? 1 : 0) : target.length;
    }
    const next: Lists = { ...current, [from]: current[from].filter((x) => x !== id), [to]: [...target.slice(0, index), id, ...target.slice(index)] };
    latest.current.lists = next;
    justCrossed.current = true;
    setLists(next);
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const { lists: current, columns, tasks, onMove } = latest.current;
    setActiveId(null);
    setLists(null);
    const id = String(active.id);
    const task = tasks.get(id);
    if (!over || !current || !task) return;
    const status = findColumn(current, id);
    if (!status) return;
    let list = current[status];
    const overId = String(over.id);
    if (!columnOfDropId(overId) && list.includes(overId)) list = arrayMove(list, list.indexOf(id), list.indexOf(overId));
    const neighbours = neighboursInColumn(columns[status], list, id);
    const position = moveFor(task, status, columns[status], neighbours);
    if (position) onMove(task, status, position);
  };

  const onDragCancel = () => {
    setActiveId(null);
    setLists(null);
  };

  const announcements = useMemo<Announcements>(() => {
    const title = (id: UniqueIdentifier) => `“${latest.current.tasks.get(String(id))?.title ?? 'card'}”`;
    const place = (activeId: UniqueIdentifier, overId: UniqueIdentifier) => {
      const current = latest.current.lists ?? idsOf(latest.current.visible);
      const status = findColumn(current, String(overId));
      if (!status) return undefined;
      const list = current[status];
      const count = list.includes(String(activeId)) ? list.length : list.length + 1;
      const position = columnOfDropId(String(overId)) ? count : list.indexOf(String(overId)) + 1;
      return `${STATUS_LABELS[status]}, position ${position} of ${count}`;
    };
    return {
      onDragStart: ({ active }) => {
        const from = origin.current;
        return from
          ? `Picked up ${title(active.id)} in ${STATUS_LABELS[from.status]}, position ${from.index + 1}.`
          : `Picked up ${title(active.id)}.`;
      },
      onDragOver: ({ active, over }) =>
        over ? `${title(active.id)} is over ${place(active.id, over.id) ?? 'the board'}.` : `${title(active.id)} is not over a column.`,
      onDragEnd: ({ active, over }) =>
        over
          ? `${title(active.id)} dropped in ${place(active.id, over.id) ?? 'its column'}.`
          : `${title(active.id)} was dropped outside the columns and stays where it was.`,
      onDragCancel: ({ active }) => {
        const from = origin.current;
        return `Move cancelled. ${title(active.id)} is back in ${from ? STATUS_LABELS[from.status] : 'its column'}.`;
      },
    };
  }, []);

  const active = activeId ? tasks.get(activeId) : undefined;
  const filtered = !!matcher;
  // The columns scroll sideways on a phone; with no card to tab to, the row itself takes the
  // focus so the keyboard can still scroll it.
  const empty = STATUSES.every((status) => shown[status].length === 0);
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{ announcements, screenReaderInstructions: instructions }}
    >
      <div className="board-columns" {...(empty ? { tabIndex: 0, role: 'group', 'aria-label': 'Columns' } : {})}>
        {STATUSES.map((status) => (
          <BoardColumn
            key={status}
            status={status}
            tasks={shown[status]}
            total={columns[status].length}
            filtered={filtered}
            people={people}
            viewer={viewer}
            today={today}
            search={search}
            pending={pending}
            highlights={highlights}
          />
        ))}
      </div>
      <DragOverlay dropAnimation={prefersReducedMotion() ? null : undefined}>
        {active ? (
          <div inert aria-hidden="true">
            <CardView
              task={active}
              assignee={active.assigneeId ? people.get(active.assigneeId) : undefined}
              href="#"
              today={today}
              highlighted={false}
              pending={false}
              movable
              floating
            />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

function idsOf(columns: Columns): Lists {
  return Object.fromEntries(STATUSES.map((s) => [s, columns[s].map((t) => t.id)])) as Lists;
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
