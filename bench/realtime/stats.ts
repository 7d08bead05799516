/** Percentiles and small helpers shared by the figures. */

/** A spread of figures in milliseconds (nearest-rank percentiles). */
export interface Spread {
  samples: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

/** The spread of `values`; NaN figures when there are none. */
export function spread(values: ArrayLike<number>): Spread {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);
  return { samples: sorted.length, min: at(0), p50: at(0.5), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** The median of a few numbers. */
export function median(values: number[]): number {
  return spread(values).p50;
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 10 ms until it holds or `timeoutMs` passed; resolves to whether it held. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/**
 * Fills a variables template for one event: the string `"{{sequence}}"` becomes the number,
 * `{{sequence}}` inside a string becomes its digits, `{{now}}` the current ISO time.
 */
export function variablesFor(template: string, sequence: number): Record<string, unknown> {
  const text = template
    .replaceAll('"{{sequence}}"', String(sequence))
    .replaceAll('{{sequence}}', String(sequence))
    .replaceAll('{{now}}', new Date().toISOString());
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * The event a `data` message carries: the `sequence` of the subscription field's value (the
 * first root field), or undefined when the document does not select one.
 */
export function sequenceOf(data: unknown): number | undefined {
  if (!data || typeof data !== 'object') return undefined;
  for (const value of Object.values(data)) {
    const sequence = value && typeof value === 'object' ? (value as { sequence?: unknown }).sequence : undefined;
    return typeof sequence === 'number' ? sequence : undefined;
  }
  return undefined;
}
