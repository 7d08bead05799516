/**
 * Time for the session timer, injectable so tests can move it: `now()` and a tick to re-read it.
 * The system clock ticks every second, which is as fine as a countdown in minutes and seconds.
 */
import { useEffect, useState } from 'react';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `onTick` whenever the time shown may have changed; returns the unsubscribe. */
  subscribe(onTick: () => void): () => void;
}

/** The real time, ticking every second. */
export const systemClock: Clock = {
  now: () => Date.now(),
  subscribe(onTick) {
    const timer = setInterval(onTick, 1000);
    return () => clearInterval(timer);
  },
};

/** The clock's time, re-rendering on each tick. */
export function useClock(clock: Clock): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    setNow(clock.now());
    return clock.subscribe(() => setNow(clock.now()));
  }, [clock]);
  return now;
}
