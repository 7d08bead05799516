/**
 * The measuring pieces of the faces benchmark, exported so other benchmarks (an end-to-end
 * `submitVerification` section, say) can reuse them: cold start, warm compare latency, event-loop
 * responsiveness under face load, process memory, and accuracy over a folder of labelled faces.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { calibrateFolder, type CalibrationReport, listLabelledImages } from '../../local/faces/calibration.ts';
import { createFaceEngine, type FaceEngineOptions, type PooledFaceEngine, type WorkerReport } from '../../local/faces/engine.ts';

/** Percentiles and friends of a list of durations (ms). */
export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of `values`. */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  return {
    count: sorted.length,
    p50: at(50),
    p95: at(95),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
  };
}

/** Cold start: engine creation (workers load and warm the models) and the first analysis after it. */
export interface ColdStart {
  /** createFaceEngine() until it resolves. */
  engineReadyMs: number;
  /** createFaceEngine() until the first analysis has resolved: what the first user waits, worst case. */
  firstResultMs: number;
  engine: PooledFaceEngine;
}

/** Starts an engine and analyzes `firstImage` with it; returns the engine for further use. */
export async function measureColdStart(firstImage: Uint8Array, options: FaceEngineOptions = {}): Promise<ColdStart> {
  const t0 = performance.now();
  const engine = await createFaceEngine(options);
  const t1 = performance.now();
  await engine.analyze(firstImage);
  const t2 = performance.now();
  return { engineReadyMs: t1 - t0, firstResultMs: t2 - t0, engine };
}

/** A compare as the verify flow does it: analyze both images (in parallel), then score the main faces. */
export async function timeCompare(engine: PooledFaceEngine, a: Uint8Array, b: Uint8Array): Promise<{ ms: number; cpuMs: number; similarity: number | null }> {
  const t0 = performance.now();
  const [x, y] = await Promise.all([engine.analyzeWithTimings(a), engine.analyzeWithTimings(b)]);
  const similarity = x.analysis.faces[0] && y.analysis.faces[0] ? engine.similarity(x.analysis.faces[0].descriptor, y.analysis.faces[0].descriptor) : null;
  // The two analyses run at once on two workers: on idle cores the compare takes the longer one.
  const cpuMs = Math.max(x.timings?.cpu ?? NaN, y.timings?.cpu ?? NaN);
  return { ms: performance.now() - t0, cpuMs, similarity };
}

/** Wall time of warm compares, and the CPU time of the slower analysis of each (what it takes on idle cores). */
export interface CompareTimes extends Distribution {
  cpu: Distribution;
}

/**
 * Warm compare latency: `count` compares of distinct image pairs, one at a time (a single user's
 * view), after `warmup` unrecorded ones. Use an engine with `cacheSize: 0`, or the cache would
 * answer repeats.
 */
export async function measureCompares(
  engine: PooledFaceEngine,
  pairs: readonly (readonly [Uint8Array, Uint8Array])[],
  options: { warmup?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<CompareTimes> {
  const warmup = options.warmup ?? 3;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const t = await timeCompare(engine, pairs[i][0], pairs[i][1]);
    if (i >= warmup) {
      times.push(t.ms);
      if (Number.isFinite(t.cpuMs)) cpu.push(t.cpuMs);
    }
    options.onProgress?.(i + 1, pairs.length);
  }
  return { ...distribution(times), cpu: distribution(cpu) };
}

/** What the API's main thread gets while the face workers are saturated. */
export interface Responsiveness {
  /** Event-loop delay of an otherwise idle main thread (how long a new request waits to start), ms. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** The same with the workers idle, for comparison (the box's own noise). */
  idleEventLoopDelay: { p50: number; p99: number; max: number };
  /**
   * Share of a core a CPU-bound main thread still gets, relative to the same loop with the workers
   * idle (1 = unaffected). On a 2-core box two workers at equal priority would leave it ~2/3.
   */
  mainThreadCpuShare: number;
  /** Analyses completed during the measurement. */
  analyses: number;
}

/** Counts units of busy work done in 2 ms slices (yielding between slices) for `ms`. */
async function busyWork(ms: number): Promise<number> {
  let units = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const slice = performance.now() + 2;
    let x = 0;
    while (performance.now() < slice) {
      for (let i = 0; i < 1_000; i++) x += Math.sqrt(i + x);
      units++;
    }
    if (x === -1) units--; // keeps `x` alive
    await new Promise((resolve) => setImmediate(resolve));
  }
  return units;
}

/**
 * How the API's main thread fares while `concurrency` analyses are kept in flight: first idle (its
 * event-loop delay: what a request arriving during face analysis waits before its handler starts),
 * then CPU-bound (the share of a core it still gets, against a baseline with the workers idle).
 * Takes about 1.5 x `durationMs`.
 */
export async function measureResponsiveness(
  engine: PooledFaceEngine,
  images: readonly Uint8Array[],
  options: { durationMs?: number; concurrency?: number } = {},
): Promise<Responsiveness> {
  const durationMs = options.durationMs ?? 5_000;
  const concurrency = options.concurrency ?? engine.stats().workers * 2;
  const baseline = await busyWork(durationMs / 4);
  const idleDelay = await eventLoopDelay(durationMs / 4);
  let stop = false;
  let analyses = 0;
  let next = 0;
  const loop = async () => {
    while (!stop) {
      await engine.analyze(images[next++ % images.length]);
      analyses++;
    }
  };
  const runners = Array.from({ length: concurrency }, loop);
  // Let the workers get busy before measuring.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const loadedDelay = await eventLoopDelay(durationMs / 2);
  const loaded = await busyWork(durationMs / 4);
  stop = true;
  await Promise.all(runners);
  return { eventLoopDelay: loadedDelay, idleEventLoopDelay: idleDelay, mainThreadCpuShare: loaded / baseline, analyses };
}

/** Event-loop delay over `ms`: how late a 5 ms timer fires (the histogram's samples minus the 5 ms). */
async function eventLoopDelay(ms: number): Promise<{ p50: number; p99: number; max: number }> {
  const resolution = 5;
  const histogram = monitorEventLoopDelay({ resolution });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  histogram.disable();
  const late = (ns: number) => Math.max(0, ns / 1e6 - resolution);
  return { p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max) };
}

/** Memory of the whole process: every thread shares it, so /proc covers the workers too. */
export interface MemoryFigures {
  /** Peak resident set of the process (VmHWM), MB: main thread, workers, WASM heaps, sharp. */
  peakRssMb: number | null;
  /** Resident set now, MB. */
  rssMb: number;
  /** Per worker: V8 heap and tfjs tensor bytes after its last job, MB. */
  workers: { index: number; heapMb: number | null; tensorMb: number | null; tensors: number | null }[];
}

/** Reads VmHWM (peak RSS, all threads) from /proc/self/status where there is one. */
export function peakRssMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Process memory now and at its peak, plus what each worker reports. */
export function measureMemory(engine: PooledFaceEngine): MemoryFigures {
  const mb = (b: number | undefined) => (b === undefined ? null : b / 1024 / 1024);
  return {
    peakRssMb: peakRssMb(),
    rssMb: process.memoryUsage().rss / 1024 / 1024,
    workers: engine.workerReports().map((w: WorkerReport) => ({
      index: w.index,
      heapMb: mb(w.memory?.heapUsed),
      tensorMb: mb(w.memory?.tensorBytes),
      tensors: w.memory?.tensors ?? null,
    })),
  };
}

/** Accuracy over labelled folders: `calibrateFolder` with progress. */
export async function measureAccuracy(
  engine: PooledFaceEngine,
  folders: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<CalibrationReport> {
  return calibrateFolder(folders, engine, onProgress);
}

/**
 * Compare pairs for the latency figure: image i of the labelled images against another image some
 * steps further on (never itself), cycling through all of them, so the pairs mix small crops,
 * press photos and card scenes. Use with a cache-less engine: repeats are then re-analyzed.
 */
export async function comparePairs(folders: readonly string[], count: number): Promise<[Uint8Array, Uint8Array][]> {
  const { images } = listLabelledImages(folders);
  if (images.length < 2) return [];
  const bytes = await Promise.all(images.map((i) => readFile(i.file)));
  const n = bytes.length;
  return Array.from({ length: count }, (_, i) => {
    const a = i % n;
    const b = (a + 1 + ((i * 7) % (n - 1))) % n;
    return [bytes[a], bytes[b]] as [Uint8Array, Uint8Array];
  });
}
