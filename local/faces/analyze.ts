/**
 * One image through the whole pipeline: decode, pad, detect, landmarks, align, embed (two
 * networks, each on the crop it expects), measure.
 * Runs inside a worker thread with the models loaded (see `worker.ts`).
 */
import { readFileSync } from 'node:fs';

import type * as TF from '@tensorflow/tfjs-core';

import { alignmentFrame, type Box, type Point, rekognitionLandmarks, rollDegrees, squareAround } from './align.ts';
import { embedArcFace } from './arcface.ts';
import { BORDER_GREY, decodeImage, SMALL_IMAGE_BORDER, SMALL_IMAGE_SIDE } from './decode.ts';
import { detectCandidates } from './detect.ts';
import { embedFace, RECOGNITION_INPUT } from './embed.ts';
import { detectLandmarks } from './landmarks.ts';
import type { Models } from './models.ts';
import { measureQuality } from './quality.ts';
import { joinDescriptors } from './similarity.ts';
import type { AnalyzedFace, ImageAnalysis } from './types.ts';

/** Rekognition compares only the 100 largest faces of an image. */
export const MAX_FACES = 100;

/**
 * First landmark box: a square 1.2 x the mesh's extent. The mesh spans forehead to chin and ear
 * to ear, about what the detectors the landmark network was trained with frame; a little margin
 * keeps the jaw inside the crop when the mesh is slightly off.
 */
const FIRST_PASS_SCALE = 1.2;

/** Where the time of one analysis went, in ms (for the benchmark). */
export interface AnalysisTimings {
  decode: number;
  detect: number;
  faces: number;
  total: number;
  /**
   * CPU time this worker thread spent on the analysis (Linux; NaN elsewhere). Unlike the wall
   * times it does not grow when other processes compete for the cores: it is what the analysis
   * takes on an idle core (10 ms resolution).
   */
  cpu: number;
}

/** CPU time of the calling thread in ms, from /proc/thread-self/stat (utime + stime); NaN where there is none. */
export function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "(comm)": state is field 3, so utime (14) and stime (15) are indexes 11 and 12; in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Decodes `bytes` and analyzes every face, largest first. Throws `ImageDecodeError` if the bytes are not a readable JPEG or PNG. */
export async function analyzeImage(models: Models, bytes: Uint8Array): Promise<{ analysis: ImageAnalysis; timings: AnalysisTimings }> {
  const { tf } = models;
  const cpu0 = threadCpuMs();
  const t0 = performance.now();
  const decoded = await decodeImage(bytes);
  const t1 = performance.now();

  // Small, tight crops (a 150 px head shot) leave the detector and the landmark network no
  // context: the face fills the frame and its edges fall off the crops. A grey border fixes both.
  const small = Math.max(decoded.width, decoded.height) < SMALL_IMAGE_SIDE;
  const padX = small ? Math.round(decoded.width * SMALL_IMAGE_BORDER) : 0;
  const padY = small ? Math.round(decoded.height * SMALL_IMAGE_BORDER) : 0;
  const image = tf.tidy(() => {
    const pixels = tf.tensor4d(toFloat32(decoded.data), [1, decoded.height, decoded.width, 3], 'float32');
    return small ? (tf.pad(pixels, [[0, 0], [padY, padY], [padX, padX], [0, 0]], BORDER_GREY) as TF.Tensor4D) : pixels;
  });

  try {
    const candidates = await detectCandidates(models, image);
    const t2 = performance.now();
    candidates.sort((a, b) => b.meshBox.width * b.meshBox.height - a.meshBox.width * a.meshBox.height);

    // Working (padded) pixels to full-image pixels.
    const toFull = (p: Point): Point => ({ x: (p.x - padX) * decoded.scale, y: (p.y - padY) * decoded.scale });
    const faces: AnalyzedFace[] = [];
    for (const candidate of candidates.slice(0, MAX_FACES)) {
      const landmarks = await detectLandmarks(models, image, squareAround(candidate.meshBox, FIRST_PASS_SCALE));
      const { descriptor: resnet, crop } = await embedFace(models, image, alignmentFrame(landmarks));
      const arcface = await embedArcFace(tf, models.arcface, image, landmarks);
      if (!resnet.every(Number.isFinite) || !arcface.every(Number.isFinite)) continue;
      const descriptor = joinDescriptors(resnet, arcface);
      const full = landmarks.map(toFull);
      faces.push({
        box: clipBox(
          { ...toFull(candidate.meshBox), width: candidate.meshBox.width * decoded.scale, height: candidate.meshBox.height * decoded.scale },
          decoded.fullWidth,
          decoded.fullHeight,
        ),
        confidence: candidate.confidence,
        quality: measureQuality(crop, RECOGNITION_INPUT),
        landmarks: rekognitionLandmarks(full),
        pose: { roll: round1(rollDegrees(full)), yaw: round1(candidate.yaw), pitch: round1(candidate.pitch) },
        descriptor,
      });
    }
    const t3 = performance.now();
    return {
      analysis: { width: decoded.fullWidth, height: decoded.fullHeight, faces },
      timings: { decode: t1 - t0, detect: t2 - t1, faces: t3 - t2, total: t3 - t0, cpu: threadCpuMs() - cpu0 },
    };
  } finally {
    image.dispose();
  }
}

let floatBuffer = new Float32Array(0);

/**
 * Bytes to floats through one buffer kept for the worker's life. Converting a 2400 x 1800 image
 * into a fresh array (or letting tfjs convert a Uint8Array) took 30-250 ms, mostly allocation and
 * GC; `set` into a reused buffer takes ~3 ms. tfjs copies the values into the WASM heap when the
 * tensor is made, and a worker analyzes one image at a time, so reuse is safe.
 */
export function toFloat32(bytes: Uint8Array): Float32Array {
  if (floatBuffer.length < bytes.length) floatBuffer = new Float32Array(bytes.length);
  const view = floatBuffer.subarray(0, bytes.length);
  view.set(bytes);
  return view;
}

function clipBox(box: Box, width: number, height: number): Box {
  const x = Math.max(0, box.x);
  const y = Math.max(0, box.y);
  return { x, y, width: Math.max(0, Math.min(width, box.x + box.width) - x), height: Math.max(0, Math.min(height, box.y + box.height) - y) };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
