/** How the admin screens write dates and people. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 Mar 2025, 14:05". */
export function formatDateTime(iso: string, { seconds = false } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (seconds ? dateTimeSeconds : dateTime).format(date);
}

/** "in 3 days", "2 hours ago": the largest unit that is at least one, rounded. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, 'minute');
}

/** A person's name, or their email when they gave none. */
export function displayName(person: { name?: string | null; email: string }): string {
  return person.name?.trim() || person.email;
}

/** An API message as a sentence: "a user with this email already exists" -> "A user with this email already exists." */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?…]$/.test(text) ? '' : '.'}`;
}
