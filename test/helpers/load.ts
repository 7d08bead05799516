import { availableParallelism, loadavg } from 'node:os';

/**
 * How much slower than a quiet machine this one is now, about: the run queue per core (1 when
 * quiet, at most 8). Time limits in tests only catch a hang, so they grow with the load instead
 * of failing a suite that is slow but progressing.
 */
export function loadFactor(): number {
  return Math.min(8, Math.max(1, loadavg()[0] / availableParallelism()));
}

/** A test's time limit of `ms` on a quiet machine, grown with the load now. */
export function underLoad(ms: number): number {
  return Math.round(ms * loadFactor());
}
