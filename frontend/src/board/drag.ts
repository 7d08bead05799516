/**
 * The arithmetic of dragging cards: which column an id is in, where a dropped card sits among
 * its full column's cards (the view may be filtered), and how the arrow keys move a picked-up
 * card: up and down within its column, left and right to the same height in the next column.
 */
import type { KeyboardCoordinateGetter } from '@dnd-kit/core';
import type { RankPosition } from '../generated/graphql.ts';
import { STATUSES, type Task, type TaskStatus } from './model.ts';
import { positionBetween } from './rank.ts';

/** The card ids shown in each column, in order, while a card is dragged. */
export type Lists = Record<TaskStatus, string[]>;

const COLUMN_PREFIX = 'column:';

/** The droppable id of a column (its empty space and its end). */
export const columnDropId = (status: TaskStatus) => `${COLUMN_PREFIX}${status}`;

export function columnOfDropId(id: string): TaskStatus | undefined {
  const status = id.startsWith(COLUMN_PREFIX) ? id.slice(COLUMN_PREFIX.length) : undefined;
  return STATUSES.find((s) => s === status);
}

/** The column holding a card id (or named by a column id). */
export function findColumn(lists: Lists, id: string): TaskStatus | undefined {
  return columnOfDropId(id) ?? STATUSES.find((status) => lists[status].includes(id));
}

/**
 * Where a card dropped at its place in `shown` (the column as displayed, the card included) goes
 * among the column's cards: right below the card shown above it, or else right above the card
 * shown below it, or else at the bottom. Returns its neighbours in the full column.
 */
export function neighboursInColumn(column: readonly Task[], shown: readonly string[], id: string): { above?: Task; below?: Task } {
  const rest = column.filter((task) => task.id !== id);
  const at = shown.indexOf(id);
  const aboveId = at > 0 ? shown[at - 1] : undefined;
  const belowId = at >= 0 && at < shown.length - 1 ? shown[at + 1] : undefined;
  const above = aboveId ? rest.findIndex((task) => task.id === aboveId) : -1;
  if (above >= 0) return { above: rest[above], below: rest[above + 1] };
  const below = belowId ? rest.findIndex((task) => task.id === belowId) : -1;
  if (below >= 0) return { above: rest[below - 1], below: rest[below] };
  return { above: rest[rest.length - 1] };
}

/** The move for a card dropped in `status` between two neighbours; undefined when it stays put. */
export function moveFor(
  task: Task,
  status: TaskStatus,
  column: readonly Task[],
  neighbours: { above?: Task; below?: Task },
): RankPosition | undefined {
  if (status === task.status) {
    const at = column.findIndex((t) => t.id === task.id);
    if (at >= 0 && column[at - 1]?.id === neighbours.above?.id && column[at + 1]?.id === neighbours.below?.id) return undefined;
  }
  return positionBetween(neighbours.above?.rank, neighbours.below?.rank);
}

const ARROWS = ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight'];

/**
 * Arrow keys for a picked-up card. Dnd-kit moves the card to the coordinates returned: the top of
 * the card it should take the place of (its bottom when moving down, so it passes that card), or
 * a column's empty space.
 */
export function boardKeyboardCoordinates(lists: () => Lists): KeyboardCoordinateGetter {
  return (event, { context: { active, over, droppableRects, collisionRect } }) => {
    if (!ARROWS.includes(event.code)) return undefined;
    event.preventDefault();
    if (!active || !collisionRect) return undefined;
    const current = lists();
    const activeId = String(active.id);
    const column = findColumn(current, activeId);
    if (!column) return undefined;
    const list = current[column];
    // The slot the card is shown in: the card it is over within its own column, else its own place.
    const overId = over ? String(over.id) : activeId;
    const slot = list.includes(overId) ? list.indexOf(overId) : list.indexOf(activeId);

    let target: string | undefined;
    let down = false;
    if (event.code === 'ArrowDown' || event.code === 'ArrowUp') {
      down = event.code === 'ArrowDown';
      target = list[down ? slot + 1 : slot - 1];
    } else {
      const next = STATUSES[STATUSES.indexOf(column) + (event.code === 'ArrowRight' ? 1 : -1)];
      if (!next) return undefined;
      const cards = current[next];
      target = cards.length === 0 ? columnDropId(next) : nearest(cards, droppableRects, collisionRect.top);
    }
    const rect = target ? droppableRects.get(target) : undefined;
    if (!rect) return undefined;
    return { x: rect.left, y: down ? rect.top + rect.height - collisionRect.height : rect.top };
  };
}

/** The card whose top is nearest to `top`. */
function nearest(ids: string[], rects: Map<string | number, { top: number }>, top: number): string | undefined {
  let best: string | undefined;
  let distance = Infinity;
  for (const id of ids) {
    const rect = rects.get(id);
    if (rect && Math.abs(rect.top - top) < distance) {
      best = id;
      distance = Math.abs(rect.top - top);
    }
  }
  return best;
}
