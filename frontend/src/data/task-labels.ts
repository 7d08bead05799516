/** How statuses and priorities read to people: one set of words for the board and the dashboard. */
import type { TaskPriority, TaskStatus } from '../generated/graphql.ts';

/** In board order, left to right. */
export const STATUS_LABELS: Record<TaskStatus, string> = {
  TODO: 'To do',
  IN_PROGRESS: 'In progress',
  BLOCKED: 'Blocked',
  DONE: 'Done',
};

/** Most pressing first. */
export const PRIORITY_LABELS: Record<TaskPriority, string> = {
  URGENT: 'Urgent',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};
