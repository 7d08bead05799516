/**
 * Values in the words people read: names for user ids, dates, "5 minutes ago", overdue.
 */
import type { Task } from './model.ts';

/** Who is who on the board: user id -> name (or email when they have no name). */
export type People = ReadonlyMap<string, string>;

/** A person's name; "You" for the signed-in person when `me` is given; a neutral word otherwise. */
export function personName(people: People, id: string | null | undefined, me?: string): string {
  if (!id) return 'Nobody';
  if (me && id === me) return 'You';
  return people.get(id) ?? 'A former teammate';
}

/** Today in the person's time zone, as YYYY-MM-DD (how due dates are written). */
export function localDay(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A due date as "3 May 2026" (or "3 May" within the current year when `short`). */
export function formatDay(day: string, { short = false } = {}): string {
  if (!isDay(day)) return day;
  const date = new Date(`${day}T00:00:00Z`);
  const sameYear = day.slice(0, 4) === localDay().slice(0, 4);
  return (short && sameYear ? shortDayFormat : dayFormat).format(date);
}

/** True when the task is not done and its due date has passed. */
export function isOverdue(task: Pick<Task, 'dueDate' | 'status'>, today: string = localDay()): boolean {
  return !!task.dueDate && task.status !== 'DONE' && task.dueDate < today;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** An instant as "3 minutes ago", or a date once it is more than a week old. */
export function formatWhen(iso: string, now: number = Date.now()): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((at - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day');
  return timeFormat.format(at);
}

/** An instant in full, for a tooltip or a <time> title. */
export function formatInstant(iso: string): string {
  const at = new Date(iso).getTime();
  return Number.isNaN(at) ? iso : timeFormat.format(at);
}

/** Initials for an avatar: "Ana Lima" -> "AL", "bo@example.com" -> "B". */
export function initials(name: string): string {
  const words = name
    .replace(/@.*/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[words.length - 1][0] : words[0]?.[0] ?? '?').toUpperCase();
}
