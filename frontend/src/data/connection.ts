/**
 * The live connection's state, shown in the header: a tiny store the feed writes and React reads.
 */
import { useSyncExternalStore } from 'react';
import type { FeedState } from './task-event-feed.ts';

export type ConnectionState = FeedState;

let state: ConnectionState = 'stopped';
const listeners = new Set<() => void>();

/** Records the feed's state (the board feed calls it). */
export function setConnectionState(next: ConnectionState): void {
  if (next === state) return;
  state = next;
  listeners.forEach((listener) => listener());
}

/** The current connection state, re-rendering on change. */
export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => state,
  );
}
