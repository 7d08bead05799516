/**
 * The face engine: a small pool of worker threads that each hold the models, fed from one queue,
 * with a cache of recent analyses. This is what the offline matcher, the local Rekognition
 * endpoint, the CLI and the benchmark call.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

// sharp must be loaded by the main thread before any worker loads it: on glibc Linux its shared
// libraries are otherwise unloaded when a worker exits while others still use them (sharp's
// documented worker-thread caveat). The workers decode; the main thread only keeps this reference.
import 'sharp';

import type { AnalysisTimings } from './analyze.ts';
import { ImageTooLargeError } from './decode.ts';
import type { FromWorker, ThreadInfo, ToWorker, WorkerMemory } from './protocol.ts';
import { descriptorSimilarity } from './similarity.ts';
import { type FaceEngine, type FrameAnalysis, type FrameAnalyzer, type FrameOptions, ImageDecodeError, type ImageAnalysis, type RawFrame } from './types.ts';
import type { WorkerOptions } from './worker.ts';

/** Options of `createFaceEngine`. */
export interface FaceEngineOptions {
  /** Worker threads (each holds its own copy of the models, ~250-350 MB with the ArcFace network). Default: `defaultWorkerCount()`. */
  workers?: number;
  /** Recent analyses kept, keyed by a hash of the bytes; 0 turns the cache off. Default 8. */
  cacheSize?: number;
  /** Nice value of the worker threads (0-19). Default 10. */
  nice?: number;
}

/** The engine has failed in a way the caller cannot fix by changing the image: a worker crashed or would not start. */
export class FaceEngineError extends Error {
  override readonly name = 'FaceEngineError';
}

/** Counters, for tests and the benchmark. */
export interface FaceEngineStats {
  workers: number;
  /** Analyses run by a worker. */
  analyses: number;
  /** Calls answered from the cache or by joining an analysis already running. */
  cacheHits: number;
  /** Workers that crashed and were replaced. */
  respawns: number;
  /** Jobs waiting for a worker. */
  queued: number;
}

/** How one worker looks from outside. */
export interface WorkerReport {
  index: number;
  ready: boolean;
  busy: boolean;
  thread?: ThreadInfo;
  /** Model load and warm-up time of this worker's current thread, ms. */
  loadMs?: number;
  warmupMs?: number;
  /** Memory after its last job. */
  memory?: WorkerMemory;
  /** Thread id assigned by Node. */
  threadId?: number;
}

/** The pooled engine: a `FaceEngine` plus what tests and the benchmark look at. */
export interface PooledFaceEngine extends FaceEngine, FrameAnalyzer {
  /** Like `analyze`, plus where the time went (undefined for cache hits). */
  analyzeWithTimings(image: Uint8Array): Promise<{ analysis: ImageAnalysis; timings?: AnalysisTimings }>;
  stats(): FaceEngineStats;
  workerReports(): WorkerReport[];
  /** Makes worker `index` crash (an uncaught error in the thread), to drill the crash path. */
  simulateCrash(index: number): void;
}

/**
 * Default worker count: one per core (this box: 2), at nice 10, capped at 4.
 *
 * tfjs's WASM backend is single-threaded in Node, so throughput scales with workers up to the core
 * count, and a compare analyzes its two images in parallel only with two or more workers. Measured
 * on this 2-core box (bench/faces --sweep, other jobs running): warm compare p50 150-170 ms with
 * 2 workers against 210-280 ms with 1. The cost of using every core would be the API's main
 * thread competing with busy workers; that is what the lower priority is for. With both workers
 * saturated, a CPU-bound main thread still got 94-100 % of a core with the workers at nice 10,
 * against 32-75 % at nice 0, and an idle main thread's event-loop delay stayed at p99 2.5-3.5 ms.
 * So `cores`, not `cores - 1`: the lower priority already keeps the API responsive, and leaving a
 * core idle would cost every compare ~40 %. Capped at 4 because each worker holds its own models
 * and WASM heap (the whole process peaked at ~1,160 MB with 2 workers over 680 images, BENCHMARKS.md) and a verification has at most two
 * images in flight.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Workers that fail to start this many times in a row mark the engine broken (no respawn loop). */
const MAX_START_FAILURES = 3;

/** What a worker answers a job with. */
type JobResult = { analysis: ImageAnalysis; timings: AnalysisTimings } | { frame: FrameAnalysis };

interface Job {
  id: number;
  /** The message for the worker (its `id` is the job's) and the buffers that move with it. */
  message: ToWorker;
  transfer: ArrayBuffer[];
  resolve: (value: JobResult) => void;
  reject: (err: Error) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  ready: boolean;
  exited: boolean;
  job: Job | null;
  thread?: ThreadInfo;
  loadMs?: number;
  warmupMs?: number;
  memory?: WorkerMemory;
  /** Resolves once this worker is ready; rejects if it fails first. */
  started: Promise<void>;
}

/**
 * How to start `worker.ts`, which is TypeScript. Passing `--import tsx` in the worker's
 * `execArgv` is not enough on Node 20: the worker's entry module is resolved before the loader
 * hooks that flag registers apply to it ("Unknown file extension .ts"). So the worker starts from
 * a tiny ES module in a data: URL that registers tsx's loader in its own thread (`tsx/esm/api`)
 * and then imports `worker.ts`. Absolute file: URLs are used because a data: module cannot
 * resolve relative or bare specifiers; that also makes it independent of the working directory,
 * and it works the same under `node --import tsx` and under vitest (which has no tsx in
 * `execArgv`). The parent's flags (--inspect, heap sizes) are not passed on.
 */
function workerBootstrap(): URL {
  const require = createRequire(import.meta.url);
  const tsxRoot = path.dirname(require.resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const workerUrl = new URL('./worker.ts', import.meta.url).href;
  const source = [
    `import { register } from ${JSON.stringify(tsxApi)};`,
    'register();',
    `await import(${JSON.stringify(workerUrl)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/**
 * Starts the engine: `workers` threads, each loading the models once (~1 s, in parallel) and
 * warming them up. Resolves when every worker is ready; rejects if they cannot start.
 */
export async function createFaceEngine(options: FaceEngineOptions = {}): Promise<PooledFaceEngine> {
  const workerCount = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
  const cacheSize = Math.max(0, Math.floor(options.cacheSize ?? 8));
  const nice = Math.min(19, Math.max(0, Math.floor(options.nice ?? 10)));
  const bootstrap = workerBootstrap();

  const slots: Slot[] = [];
  const queue: Job[] = [];
  const cache = new Map<string, Promise<{ analysis: ImageAnalysis; timings?: AnalysisTimings }>>();
  const counters = { analyses: 0, cacheHits: 0, respawns: 0 };
  let nextJobId = 1;
  let closed = false;
  let broken: Error | null = null;
  let startFailures = 0;

  function spawn(index: number): Slot {
    const worker = new Worker(bootstrap, {
      execArgv: [],
      workerData: { nice } satisfies WorkerOptions,
      // The JS heap of a worker stays small (tensors live in the WASM heap); the cap only bounds a bug.
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    let markStarted!: () => void;
    let failStart!: (err: Error) => void;
    const started = new Promise<void>((resolve, reject) => {
      markStarted = resolve;
      failStart = reject;
    });
    // A crash of a worker nobody awaits must not become an unhandled rejection.
    started.catch(() => {});
    const slot: Slot = { index, worker, ready: false, exited: false, job: null, started };
    let lastError: Error | null = null;

    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          slot.ready = true;
          slot.thread = message.thread;
          slot.loadMs = message.loadMs;
          slot.warmupMs = message.warmupMs;
          startFailures = 0;
          markStarted();
          dispatch();
          return;
        case 'failed':
          lastError = new FaceEngineError(`face worker ${index} could not load the models: ${message.message}`);
          return;
        case 'result':
        case 'frame-result':
        case 'error': {
          const job = slot.job;
          if (!job || job.id !== message.id) return;
          slot.job = null;
          if (message.type === 'result') {
            slot.memory = message.memory;
            counters.analyses++;
            job.resolve({ analysis: message.analysis, timings: message.timings });
          } else if (message.type === 'frame-result') {
            slot.memory = message.memory;
            counters.analyses++;
            job.resolve({ frame: message.analysis });
          } else {
            job.reject(workerError(message.kind, message.message));
          }
          dispatch();
          return;
        }
      }
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      const reason = lastError?.message ?? `exit code ${code}`;
      const wasReady = slot.ready;
      slot.ready = false;
      slot.exited = true;
      const job = slot.job;
      slot.job = null;
      if (job) job.reject(new FaceEngineError(`face worker ${index} crashed while analyzing an image (${reason}); try again`, { cause: lastError ?? undefined }));
      if (closed) return;
      if (!wasReady) {
        startFailures++;
        failStart(lastError instanceof FaceEngineError ? lastError : new FaceEngineError(`face worker ${index} did not start (${reason})`, { cause: lastError ?? undefined }));
        if (startFailures >= MAX_START_FAILURES) {
          markBroken(new FaceEngineError(`face workers keep failing to start (${reason})`, { cause: lastError ?? undefined }));
          return;
        }
      }
      // Replace the worker; its queue position is kept by the shared queue.
      counters.respawns++;
      slots[index] = spawn(index);
    });
    return slot;
  }

  function markBroken(err: Error): void {
    broken = err;
    for (const job of queue.splice(0)) job.reject(err);
  }

  /**
   * Hands queued jobs to idle ready workers, oldest job first. A busy worker keeps the process
   * alive (its caller is waiting); an idle one does not, so a script that forgets `close()` still
   * exits.
   */
  function dispatch(): void {
    for (const slot of slots) {
      if (!slot.ready || slot.job) continue;
      const job = queue.shift();
      if (!job) {
        slot.worker.unref();
        continue;
      }
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.message, job.transfer);
    }
  }

  function enqueue(message: (id: number) => ToWorker, transfer: ArrayBuffer[]): Promise<JobResult> {
    if (closed) return Promise.reject(new FaceEngineError('the face engine is closed'));
    if (broken) return Promise.reject(broken);
    return new Promise((resolve, reject) => {
      const id = nextJobId++;
      queue.push({ id, message: message(id), transfer, resolve, reject });
      dispatch();
    });
  }

  async function runJob(image: Uint8Array): Promise<{ analysis: ImageAnalysis; timings: AnalysisTimings }> {
    // A private copy whose buffer can move to the worker while the caller keeps its own.
    // (`new Uint8Array(view)` copies; a Buffer's `slice` would share memory.)
    const bytes = new Uint8Array(image);
    return (await enqueue((id) => ({ type: 'analyze', id, bytes }), [bytes.buffer])) as { analysis: ImageAnalysis; timings: AnalysisTimings };
  }

  function analyzeWithTimings(image: Uint8Array): Promise<{ analysis: ImageAnalysis; timings?: AnalysisTimings }> {
    if (!(image instanceof Uint8Array)) return Promise.reject(new ImageDecodeError('image must be bytes (Uint8Array)'));
    if (cacheSize === 0) return runJob(image);
    // DetectFaces and CompareFaces on the same selfie, or a retry, send the same bytes: the
    // second caller joins the first analysis (in flight or done) instead of running another.
    const key = createHash('sha256').update(image).digest('base64');
    const hit = cache.get(key);
    if (hit) {
      counters.cacheHits++;
      // Most recently used goes last.
      cache.delete(key);
      cache.set(key, hit);
      return hit.then(({ analysis }) => ({ analysis }));
    }
    const pending = runJob(image);
    cache.set(key, pending);
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    // Failures are not remembered: a crash or a transient error must not stick to these bytes.
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
    return pending;
  }

  for (let i = 0; i < workerCount; i++) slots.push(spawn(i));
  try {
    await Promise.all(slots.map((s) => s.started));
  } catch (err) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  }

  return {
    async analyze(image) {
      return (await analyzeWithTimings(image)).analysis;
    },
    analyzeWithTimings,
    async analyzeFrame(frame: RawFrame, options: FrameOptions = {}) {
      if (!(frame?.data instanceof Uint8Array)) throw new RangeError('a frame needs RGB pixels (Uint8Array)');
      // Frames are not cached: a video never sends the same frame twice.
      const data = new Uint8Array(frame.data);
      const result = await enqueue((id) => ({ type: 'frame', id, frame: { width: frame.width, height: frame.height, data }, options }), [data.buffer]);
      return (result as { frame: FrameAnalysis }).frame;
    },
    similarity(a, b) {
      return descriptorSimilarity(a, b);
    },
    async close() {
      if (closed) return;
      closed = true;
      const err = new FaceEngineError('the face engine was closed');
      for (const job of queue.splice(0)) job.reject(err);
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.exited) return;
          // Ask first: a worker finishing its current job exits cleanly (terminating a thread in
          // the middle of a sharp decode is the one case sharp warns can crash the process).
          const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
          // An idle worker is unref'd; the caller awaits its exit, so it must hold the loop open.
          slot.worker.ref();
          slot.worker.postMessage({ type: 'close' } satisfies ToWorker);
          const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 5_000, 'timeout').unref());
          if ((await Promise.race([exited, timeout])) === 'timeout') await slot.worker.terminate();
          slot.job?.reject(err);
          slot.job = null;
        }),
      );
      cache.clear();
    },
    stats() {
      return { workers: slots.length, analyses: counters.analyses, cacheHits: counters.cacheHits, respawns: counters.respawns, queued: queue.length };
    },
    workerReports() {
      return slots.map((s) => ({
        index: s.index,
        ready: s.ready,
        busy: s.job !== null,
        thread: s.thread,
        loadMs: s.loadMs,
        warmupMs: s.warmupMs,
        memory: s.memory,
        threadId: s.worker.threadId,
      }));
    },
    simulateCrash(index) {
      slots[index]?.worker.postMessage({ type: 'crash' } satisfies ToWorker);
    },
  };
}

function workerError(kind: string, message: string): Error {
  if (kind === 'too-large') return new ImageTooLargeError(message);
  if (kind === 'decode') return new ImageDecodeError(message);
  return new FaceEngineError(`face analysis failed: ${message}`);
}
