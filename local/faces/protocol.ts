/**
 * Messages between the engine (main thread) and its worker threads. Kept in one file so both
 * sides agree on the shapes.
 */
import type { AnalysisTimings } from './analyze.ts';
import type { FrameAnalysis, FrameOptions, ImageAnalysis, RawFrame } from './types.ts';

/** Main thread to worker. */
export type ToWorker =
  /** Analyze these bytes (a copy owned by the worker). */
  | { type: 'analyze'; id: number; bytes: Uint8Array }
  /** Analyze this video frame (pixels owned by the worker). */
  | { type: 'frame'; id: number; frame: RawFrame; options: FrameOptions }
  /** Finish the current job, then exit. */
  | { type: 'close' }
  /** Throw an uncaught error on the next turn of the event loop: drills the crash path (tests, chaos drills). */
  | { type: 'crash' };

/** Why an analysis failed, in a form that survives the thread boundary (`instanceof` does not). */
export type WorkerErrorKind = 'decode' | 'too-large' | 'internal';

/** What the worker's thread looks like to the OS, for checking that the priority took. */
export interface ThreadInfo {
  /** Linux thread id, when /proc is there. */
  tid?: number;
  /** The thread's nice value as the kernel reports it, when /proc is there. */
  nice?: number;
  /** The nice value the worker asked for. */
  requestedNice: number;
  /** Set when `os.setPriority` failed (the worker then runs at normal priority). */
  priorityError?: string;
}

/** Worker to main thread. */
export type FromWorker =
  | { type: 'ready'; loadMs: number; warmupMs: number; thread: ThreadInfo }
  | { type: 'result'; id: number; analysis: ImageAnalysis; timings: AnalysisTimings; memory: WorkerMemory }
  | { type: 'frame-result'; id: number; analysis: FrameAnalysis; memory: WorkerMemory }
  | { type: 'error'; id: number; kind: WorkerErrorKind; message: string }
  /** Loading the models failed; the worker exits after sending this. */
  | { type: 'failed'; message: string };

/** The worker's memory after a job, for the benchmark. */
export interface WorkerMemory {
  /** V8 heap in use by this worker, bytes. */
  heapUsed: number;
  /** tfjs's accounting of tensor memory (the WASM heap holds at least this), bytes. */
  tensorBytes: number;
  /** Live tensors: constant across jobs unless something leaks. */
  tensors: number;
}
