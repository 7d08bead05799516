import type { TaskEvent } from '../shared/task-event.ts';

export type NotificationKind = 'ASSIGNED' | 'UPDATED' | 'DELETED';

/** Who hears about an event, and why. The person who made the change never does. */
export function recipients(event: TaskEvent): { userId: string; kind: NotificationKind }[] {
  const actor = event.actorId;
  const assignee = event.task?.assigneeId;
  const creator = event.task?.createdBy;
  const assignmentChanged = event.changes.some((c) => c.field === 'assigneeId');
  const out = new Map<string, NotificationKind>();
  const add = (userId: string | undefined | null, kind: NotificationKind) => {
    if (userId && userId !== actor && !out.has(userId)) out.set(userId, kind);
  };
  if (event.type === 'TASK_DELETED') {
    add(assignee, 'DELETED');
    add(creator, 'DELETED');
  } else if (event.type === 'TASK_CREATED' || assignmentChanged) {
    add(assignee, 'ASSIGNED');
    if (event.type === 'TASK_UPDATED') add(creator, 'UPDATED');
  } else if (event.changes.length > 0) {
    add(assignee, 'UPDATED');
    add(creator, 'UPDATED');
  }
  return [...out].map(([userId, kind]) => ({ userId, kind }));
}

/** A sentence a person reads in the app. */
export function describe(event: TaskEvent, kind: NotificationKind, actorName: string): string {
  const title = event.task?.title ?? 'a task';
  if (kind === 'ASSIGNED') return `${actorName} assigned you "${title}"`;
  if (kind === 'DELETED') return `${actorName} deleted "${title}"`;
  const fields = event.changes.map((c) => c.field).join(', ');
  return `${actorName} changed ${fields} of "${title}"`;
}
