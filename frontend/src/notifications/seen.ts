/**
 * When a person last opened their notifications, per user on this browser (localStorage): what
 * came after it is unread. The mark is the newest notification they saw, not the clock, so a
 * device whose clock is off still counts right.
 */

const key = (userId: string) => `securetask.notifications.seen.${userId}`;

type SeenStorage = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): SeenStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage can be switched off; then everything since the page opened counts as unread.
    return undefined;
  }
}

/** The createdAt of the newest notification seen (ISO 8601), or undefined. */
export function readSeen(userId: string, store: SeenStorage | undefined = storage()): string | undefined {
  try {
    return store?.getItem(key(userId)) ?? undefined;
  } catch {
    return undefined;
  }
}

export function writeSeen(userId: string, createdAt: string, store: SeenStorage | undefined = storage()): void {
  try {
    store?.setItem(key(userId), createdAt);
  } catch {
    // Full or forbidden storage: the count resets on the next visit, nothing worse.
  }
}

/** True when a notification is newer than the mark. */
export function isUnread(createdAt: string, seen: string | undefined): boolean {
  if (!seen) return true;
  return new Date(createdAt).getTime() > new Date(seen).getTime();
}
