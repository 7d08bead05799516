/** Durations and moments as people read them, and a clock that re-renders. */
import { useCallback, useSyncExternalStore } from 'react';

/** "45 seconds", "14 minutes", "2 hours 5 minutes", "7 days": whole units, rounded up. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}` : plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}

/** "4:05": minutes and seconds left, for a countdown. */
export function formatClock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "Tuesday 14 May, 16:20" in the person's own locale. */
export function formatMoment(iso: string | number): string {
  return new Date(iso).toLocaleString(undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
}

/**
 * One clock per interval, shared by every component that reads it, so that what they show agrees:
 * a countdown that says "now" and the button it unlocks change in the same render.
 */
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer?: ReturnType<typeof setInterval>;
}

const clocks = new Map<number, Clock>();

function clockFor(everyMs: number): Clock {
  let clock = clocks.get(everyMs);
  if (!clock) clocks.set(everyMs, (clock = { now: Date.now(), listeners: new Set() }));
  return clock;
}

function tick(clock: Clock): void {
  clock.now = Date.now();
  for (const listener of clock.listeners) listener();
}

/** The time now, updated every `everyMs` while `active`; every reader of the same interval sees the same time. */
export function useNow(everyMs = 1000, active = true): number {
  const clock = clockFor(everyMs);
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!active) return () => {};
      clock.listeners.add(onChange);
      clock.timer ??= setInterval(() => tick(clock), everyMs);
      tick(clock); // a clock that was idle holds the time it stopped at
      return () => {
        clock.listeners.delete(onChange);
        if (clock.listeners.size === 0) {
          clearInterval(clock.timer);
          clock.timer = undefined;
        }
      };
    },
    [clock, everyMs, active],
  );
  return useSyncExternalStore(subscribe, () => clock.now);
}
