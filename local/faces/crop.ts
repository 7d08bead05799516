/**
 * Cutting a box out of the full image at a network's input size.
 */
import type * as TF from '@tensorflow/tfjs-core';

import { ALIGN_REF_X, ALIGN_REF_Y, type AlignmentFrame, type Box, type Similarity } from './align.ts';
import { BORDER_GREY } from './decode.ts';
import type { Tf } from './models.ts';

/**
 * `tf.image.cropAndResize` on pixel coordinates: `box` spans the pixel centres x .. x + width - 1
 * (so a box as wide as the output is a 1:1 copy) and may reach outside the image, which fills
 * with `fill`.
 *
 * Works around a bug in tfjs-backend-wasm 4.22's CropAndResize: when the output is as wide as the
 * box (a 1:1 copy) and the box sits on whole pixels, the kernel takes a `memcpy` shortcut that
 * ignores the box's left edge and copies from column 0 (seen here: a tile at x = 600 came back
 * as the tile at x = 0). Widening such a box by 1/100 px makes the kernel interpolate instead;
 * the shift in sampling positions is negligible.
 */
export function cropAndResize(tf: Tf, image: TF.Tensor4D, box: Box, outHeight: number, outWidth: number, fill = BORDER_GREY): TF.Tensor4D {
  const [, height, width] = image.shape;
  let boxWidth = box.width;
  if (Math.abs(boxWidth - outWidth) < 0.005) boxWidth += 0.01;
  const y1 = box.y / (height - 1);
  const x1 = box.x / (width - 1);
  const y2 = (box.y + box.height - 1) / (height - 1);
  const x2 = (box.x + boxWidth - 1) / (width - 1);
  return tf.image.cropAndResize(image, [[y1, x1, y2, x2]], [0], [outHeight, outWidth], 'bilinear', fill);
}

/**
 * Cuts a square `box` out of `image` ([1, H, W, 3], float 0-255) and scales it to `size` x `size`.
 * Outside the image it fills with the grey of the small-image border, so a face near the edge
 * keeps its framing instead of being shifted or squashed.
 *
 * Shrinking a large face with plain bilinear sampling reads only a few source pixels per output
 * pixel (aliasing: a 450 px face at 150 px would use 1 pixel in 9). When the box is at least
 * twice the output size we sample at k x size and average k x k blocks, a box filter that uses
 * every pixel. The caller disposes the result.
 */
export function cropSquare(tf: Tf, image: TF.Tensor4D, box: Box, size: number): TF.Tensor4D {
  const k = Math.max(1, Math.min(4, Math.floor(box.width / size)));
  return tf.tidy(() => {
    const crop = cropAndResize(tf, image, box, size * k, size * k);
    return k === 1 ? crop : (tf.avgPool(crop, k, k, 'valid') as TF.Tensor4D);
  });
}

/**
 * Cuts the turned square `frame` out of `image` at `size` x `size`, the eye line level, in one
 * projective-transform op (no rotation of the whole image). Sampling is bilinear at k x size,
 * then k x k blocks are averaged, for the same reason as in `cropSquare`. Outside the image it
 * fills with grey. The caller disposes the result.
 */
export function cropAligned(tf: Tf, image: TF.Tensor4D, frame: AlignmentFrame, size: number): TF.Tensor4D {
  const k = Math.max(1, Math.min(4, Math.floor(frame.side / size)));
  const n = size * k;
  const cos = Math.cos(frame.angle);
  const sin = Math.sin(frame.angle);
  const step = frame.side / n;
  // Output pixel (u, v) samples the image at ref + R(angle) * d, where d is the pixel centre's
  // offset from the reference point inside the upright square:
  //   d = ((u + 0.5) * step - ALIGN_REF_X * side, (v + 0.5) * step - ALIGN_REF_Y * side).
  const dx0 = 0.5 * step - ALIGN_REF_X * frame.side;
  const dy0 = 0.5 * step - ALIGN_REF_Y * frame.side;
  const transform = [
    cos * step,
    -sin * step,
    frame.ref.x + cos * dx0 - sin * dy0,
    sin * step,
    cos * step,
    frame.ref.y + sin * dx0 + cos * dy0,
    0,
    0,
  ];
  return tf.tidy(() => {
    const crop = tf.image.transform(image, tf.tensor2d([transform]), 'bilinear', 'constant', BORDER_GREY, [n, n]) as TF.Tensor4D;
    return k === 1 ? crop : (tf.avgPool(crop, k, k, 'valid') as TF.Tensor4D);
  });
}

/**
 * The `size` x `size` crop whose pixel (u, v) shows the image point that `imageToCrop` (a
 * similarity transform from image pixels to crop pixels, e.g. onto ArcFace's template) sends
 * there. Sampling is bilinear at k x size and k x k blocks are averaged, as in `cropAligned`;
 * outside the image it fills with `fill` (black, as OpenCV's warpAffine does in the reference
 * pipelines). The caller disposes the result.
 */
export function cropSimilarity(tf: Tf, image: TF.Tensor4D, imageToCrop: Similarity, size: number, fill = 0): TF.Tensor4D {
  const { a, b, tx, ty } = imageToCrop;
  const scale2 = a * a + b * b;
  // Image pixels per crop pixel: the face's size in the image over its size in the crop.
  const k = Math.max(1, Math.min(4, Math.floor(1 / Math.sqrt(scale2))));
  const n = size * k;
  // Inverse map: image = (1 / s^2) [[a, b], [-b, a]] (crop - t); the sample grid's pixel u'
  // is crop coordinate u = (u' + 0.5) / k - 0.5.
  const ia = a / scale2;
  const ib = b / scale2;
  const off = 0.5 / k - 0.5;
  const transform = [ia / k, ib / k, ia * (off - tx) + ib * (off - ty), -ib / k, ia / k, -ib * (off - tx) + ia * (off - ty), 0, 0];
  return tf.tidy(() => {
    const crop = tf.image.transform(image, tf.tensor2d([transform]), 'bilinear', 'constant', fill, [n, n]) as TF.Tensor4D;
    return k === 1 ? crop : (tf.avgPool(crop, k, k, 'valid') as TF.Tensor4D);
  });
}
