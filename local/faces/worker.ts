/**
 * A face worker thread: lowers its own priority, loads the models once, warms them up, then
 * analyzes one image at a time for the engine (`engine.ts`).
 */
import { readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

import { analyzeImage } from './analyze.ts';
import { analyzeFrame } from './frame.ts';
import { ImageTooLargeError } from './decode.ts';
import { loadModels, type Models } from './models.ts';
import type { FromWorker, ThreadInfo, ToWorker, WorkerErrorKind } from './protocol.ts';
import { ImageDecodeError } from './types.ts';

/** What the engine passes to each worker. */
export interface WorkerOptions {
  /** Nice value for this thread (0 = normal, 19 = lowest). */
  nice: number;
}

const port = parentPort;
if (!port) throw new Error('local/faces/worker.ts must run as a worker thread (see engine.ts)');
const options = workerData as WorkerOptions;

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

/**
 * Lowers this thread's scheduling priority. On Linux the nice value is per thread (NPTL), and
 * `os.setPriority(0, n)` (libuv `setpriority(PRIO_PROCESS, 0, n)`) applies to the calling thread
 * only: this worker's JS and WASM run at the lower priority while the API's main thread keeps its
 * own. The result is read back from /proc so the engine (and a test) can see it took.
 */
function lowerPriority(nice: number): ThreadInfo {
  const info: ThreadInfo = { requestedNice: nice };
  try {
    // Only ever lower the priority: a thread started already nicer (a niced CI job) keeps its
    // value, and raising priority would need privileges anyway.
    if (getPriority(0) < nice) setPriority(0, nice);
  } catch (err) {
    info.priorityError = err instanceof Error ? err.message : String(err);
  }
  try {
    // /proc/thread-self is this very thread; fields after the "(comm)" are space-separated:
    // state is field 3, so nice (field 19) is index 16 after the closing parenthesis.
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    info.tid = Number(stat.slice(0, stat.indexOf(' ')));
    info.nice = Number(afterComm[16]);
  } catch {
    // Not Linux: nothing to read back.
  }
  return info;
}

/**
 * Runs each network once on dummy input, so the first real request does not pay for WASM
 * warm-up (the first inference of each model took ~300 ms more than later ones). FaceMesh runs
 * only when a face is found, so it stays cold until the first face.
 */
async function warmUp(models: Models): Promise<void> {
  const { tf } = models;
  const image = tf.fill([1, 256, 256, 3], 128, 'float32') as import('@tensorflow/tfjs-core').Tensor4D;
  const face112 = tf.zeros([1, 112, 112, 3]) as import('@tensorflow/tfjs-core').Tensor4D;
  const face150 = tf.zeros([1, 150, 150, 3]) as import('@tensorflow/tfjs-core').Tensor4D;
  try {
    await models.human.detect(image);
    (await models.landmarkNet.forward(face112)).dispose();
    (await models.recognitionNet.forward([face150, face150])).dispose();
    const arcInput = new Float32Array(3 * 112 * 112);
    await models.arcface.session.run({ [models.arcface.session.inputNames[0]]: new models.arcface.ort.Tensor('float32', arcInput, [1, 3, 112, 112]) });
  } finally {
    tf.dispose([image, face112, face150]);
  }
}

function errorKind(err: unknown): WorkerErrorKind {
  if (err instanceof ImageTooLargeError) return 'too-large';
  if (err instanceof ImageDecodeError) return 'decode';
  return 'internal';
}

async function main(): Promise<void> {
  const thread = lowerPriority(options.nice);
  const t0 = performance.now();
  let models: Models;
  try {
    models = await loadModels();
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.stack ?? err.message : String(err) });
    process.exit(1);
  }
  const t1 = performance.now();
  await warmUp(models);
  const t2 = performance.now();

  // One job at a time: the pipeline reuses buffers, and tfjs on WASM is single-threaded anyway.
  let chain: Promise<void> = Promise.resolve();
  let closing = false;
  port!.on('message', (message: ToWorker) => {
    if (message.type === 'crash') {
      setImmediate(() => {
        throw new Error('simulated face worker crash');
      });
      return;
    }
    if (message.type === 'close') {
      closing = true;
      chain = chain.then(() => port!.close());
      return;
    }
    if (closing) return;
    const { id } = message;
    const memory = () => ({ heapUsed: process.memoryUsage().heapUsed, tensorBytes: models.tf.memory().numBytes, tensors: models.tf.memory().numTensors });
    chain = chain.then(async () => {
      try {
        if (message.type === 'frame') {
          const analysis = await analyzeFrame(models, message.frame, message.options);
          send({ type: 'frame-result', id, analysis, memory: memory() }, analysis.faces.flatMap((f) => (f.descriptor ? [f.descriptor.buffer as ArrayBuffer] : [])));
          return;
        }
        const { analysis, timings } = await analyzeImage(models, message.bytes);
        send(
          { type: 'result', id, analysis, timings, memory: memory() },
          analysis.faces.map((f) => f.descriptor.buffer as ArrayBuffer),
        );
      } catch (err) {
        send({ type: 'error', id, kind: errorKind(err), message: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  send({ type: 'ready', loadMs: t1 - t0, warmupMs: t2 - t1, thread });
}

await main();
