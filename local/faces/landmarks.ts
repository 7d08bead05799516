/**
 * The 68 facial landmarks from face-api's landmark network, in two passes.
 *
 * The network was trained on crops framed by a face detector. The first pass runs on a box derived
 * from the detector; the second on a square around the extent of the first pass's landmarks, which
 * frames every face the same way whatever the detector's box looked like (a tile, a loose box).
 * FACES.md measured 1.5 x for a pipeline whose first box came from the detector; with our first
 * box already from the face mesh, 1.3 x separated genuine from impostor pairs slightly better here
 * (d' 5.24 vs 5.06 with the turned crop; the data set is small, so treat the difference as a hint).
 */
import type * as TF from '@tensorflow/tfjs-core';

import { type Box, boundingBox, type Point, squareAround } from './align.ts';
import { cropSquare } from './crop.ts';
import type { Models } from './models.ts';

/** Input side of face-api's 68-point landmark network. */
const LANDMARK_INPUT = 112;

/** Second-pass box: this many times the first pass's landmark extent. */
export const SECOND_PASS_SCALE = 1.3;

/** Runs the landmark network on one square box of the image; returns 68 points in image pixels. */
export async function landmarksInBox(models: Models, image: TF.Tensor4D, box: Box): Promise<Point[]> {
  const { tf } = models;
  const crop = cropSquare(tf, image, box, LANDMARK_INPUT);
  let out: TF.Tensor2D | undefined;
  try {
    out = await models.landmarkNet.forward(crop);
    // Output: 136 numbers, x0 y0 x1 y1 ..., as fractions of the (square) crop.
    const flat = await out.data();
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) {
      points.push({ x: box.x + flat[2 * i] * box.width, y: box.y + flat[2 * i + 1] * box.height });
    }
    return points;
  } finally {
    crop.dispose();
    out?.dispose();
  }
}

/** Two-pass landmarks: first on `initialBox`, then on a square `SECOND_PASS_SCALE` x the first result's extent. */
export async function detectLandmarks(models: Models, image: TF.Tensor4D, initialBox: Box): Promise<Point[]> {
  const first = await landmarksInBox(models, image, initialBox);
  return landmarksInBox(models, image, squareAround(boundingBox(first), SECOND_PASS_SCALE));
}
