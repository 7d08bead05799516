/**
 * What others do, told briefly: a sentence per change ("Ana moved “Fix login” to Done") shown as a
 * toast, and a short highlight of the card that changed. A burst of changes (a multi-card move,
 * catching up after a reconnect) becomes one toast, not a stack of them.
 */
import type { BoardEvent } from '../data/board-feed.ts';
import { toast } from '../ui/toasts.tsx';
import { STATUS_LABELS, type Task } from './model.ts';
import type { People } from './format.ts';
import { createStore, type Store } from './store.ts';

const FIELD_WORDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  dueDate: 'due date',
  labels: 'labels',
};

/** "a", "a and b", "a, b and c". */
function list(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The sentence for one change made by `actor`, given the task as the board had it before. */
export function describeChange(event: BoardEvent, before: Task | undefined, actor: string): string {
  const task = event.task ?? before;
  const title = `“${task?.title ?? 'a task'}”`;
  if (event.type === 'TASK_CREATED') return `${actor} added ${title}${task ? ` to ${STATUS_LABELS[task.status]}` : ''}`;
  if (event.type === 'TASK_DELETED') return `${actor} deleted ${title}`;
  const fields = new Set(event.changes.map((change) => change.field));
  if (task && before && before.status !== task.status) return `${actor} moved ${title} to ${STATUS_LABELS[task.status]}`;
  if (task && fields.has('status')) return `${actor} moved ${title} to ${STATUS_LABELS[task.status]}`;
  if (fields.size === 1 && fields.has('rank')) return `${actor} reordered ${title}${task ? ` in ${STATUS_LABELS[task.status]}` : ''}`;
  if (fields.has('assigneeId')) return task?.assigneeId ? `${actor} reassigned ${title}` : `${actor} unassigned ${title}`;
  const words = [...fields].filter((f) => f !== 'rank').map((f) => FIELD_WORDS[f] ?? f);
  return words.length > 0 ? `${actor} changed the ${list(words)} of ${title}` : `${actor} edited ${title}`;
}

/** Collects sentences for `windowMs` and shows them as one toast. */
export function createChangeNotifier(show: (message: string) => void = (m) => toast(m, 'info'), windowMs = 400) {
  let batch: { actor: string; message: string }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const items = batch;
    batch = [];
    if (items.length === 0) return;
    if (items.length === 1) return show(items[0].message);
    const actors = new Set(items.map((i) => i.actor));
    show(actors.size === 1 ? `${items[0].actor} changed ${items.length} cards` : `${items.length} cards were changed by others`);
  };
  return {
    add(actor: string, message: string) {
      batch.push({ actor, message });
      timer ??= setTimeout(flush, windowMs);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      batch = [];
    },
  };
}

/** The ids of cards that just changed, each for `ms` milliseconds. */
export function createHighlights(ms = 2500): Store<ReadonlySet<string>> & { flash(id: string): void; stop(): void } {
  const store = createStore<ReadonlySet<string>>(new Set());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const drop = (id: string) => {
    timers.delete(id);
    store.update((ids) => {
      const next = new Set(ids);
      next.delete(id);
      return next;
    });
  };
  return {
    ...store,
    flash(id) {
      clearTimeout(timers.get(id));
      timers.set(
        id,
        setTimeout(() => drop(id), ms),
      );
      if (!store.get().has(id)) store.update((ids) => new Set(ids).add(id));
    },
    stop() {
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
    },
  };
}

/** The name for an event's actor. */
export function actorName(people: People, actorId: string | null | undefined): string {
  return (actorId && people.get(actorId)) || 'Someone';
}
