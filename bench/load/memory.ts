/**
 * The runtime's memory over the run. Every few seconds: its VmRSS (/proc) and V8 heap in use
 * (through its inspector, no GC), and DynamoDB Local's VmRSS. At chosen moments, a reading after
 * forced GCs (bench/realtime's Inspector): the heap then holds only what is live, so a leak
 * shows as a slope of those readings, where plain readings saw-tooth with garbage.
 *
 * A forced full GC pauses the runtime (tens of ms with a ~100 MB heap), so it is done at the
 * baseline, every `--gc-every` seconds while holding the rate, and at the end: a few requests
 * per reading see the pause, and they are counted like any other.
 */
import { performance } from 'node:perf_hooks';
import { Inspector } from '../realtime/inspector.ts';
import { sleep } from '../realtime/stats.ts';
import { residentBytes } from '../realtime/target.ts';
import type { Runtime } from './runtime.ts';

/** One reading. `at` is seconds since the sampler started. */
export interface MemorySample {
  at: number;
  phase: string;
  rssBytes: number;
  heapUsedBytes?: number;
  javaRssBytes?: number;
  /** Taken after forced GCs. */
  afterGc: boolean;
}

export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private readonly started = performance.now();
  private timers: NodeJS.Timeout[] = [];
  private gcTimer: NodeJS.Timeout | undefined;
  phase = 'set-up';

  private constructor(
    private readonly runtime: Runtime,
    private readonly inspector: Inspector | undefined,
  ) {}

  /** Connects to the runtime's inspector (when it has one; without it there are RSS readings only). */
  static async open(runtime: Runtime): Promise<MemorySampler> {
    const inspector = runtime.inspectorUrl ? await Inspector.open(runtime.inspectorUrl) : undefined;
    return new MemorySampler(runtime, inspector);
  }

  /** Reads now; with `afterGc`, two forced GCs first. */
  async read(afterGc: boolean): Promise<MemorySample> {
    let heapUsedBytes: number | undefined;
    if (this.inspector) {
      if (afterGc) for (let i = 0; i < 2; i++) await this.inspector.call('HeapProfiler.collectGarbage');
      heapUsedBytes = (await this.inspector.call<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
    }
    if (afterGc) await sleep(200); // let the collector hand pages back before RSS is read
    const sample: MemorySample = {
      at: (performance.now() - this.started) / 1000,
      phase: this.phase,
      rssBytes: await residentBytes(this.runtime.pid),
      heapUsedBytes,
      javaRssBytes: this.runtime.javaPid ? await residentBytes(this.runtime.javaPid).catch(() => undefined) : undefined,
      afterGc: afterGc && Boolean(this.inspector),
    };
    this.samples.push(sample);
    return sample;
  }

  /** Plain readings every `ms` until stop(). */
  every(ms: number): void {
    this.timers.push(setInterval(() => void this.read(false).catch(() => {}), ms).unref());
  }

  /** After-GC readings every `ms` until stopForcedGc() or stop(). */
  forceGcEvery(ms: number): void {
    this.stopForcedGc();
    if (ms > 0) this.gcTimer = setInterval(() => void this.read(true).catch(() => {}), ms).unref();
  }

  stopForcedGc(): void {
    clearInterval(this.gcTimer);
    this.gcTimer = undefined;
  }

  /** The latest reading. */
  latest(): MemorySample | undefined {
    return this.samples.at(-1);
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.stopForcedGc();
    this.inspector?.close();
  }
}

/** Least-squares slope of `value` over `at`, per minute; NaN with fewer than 2 points. */
export function slopePerMinute(samples: MemorySample[], value: (s: MemorySample) => number | undefined): number {
  const points = samples.map((s) => [s.at / 60, value(s)] as const).filter((p): p is readonly [number, number] => p[1] !== undefined);
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}
