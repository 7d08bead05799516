/**
 * Is the live image the very picture it is compared with (the ID photo, or the stored reference
 * face), re-encoded, cropped or scaled? Two different photos of one person match as faces (that
 * is CompareFaces' job) but not as pictures: expression, pose, light, hair and the sensor's
 * noise all differ. So the two faces are cut out, aligned on their landmarks (eyes, nose, mouth
 * corners: an affine map, which also undoes a stretched print) into small greyscale squares at
 * the resolution of the smaller face, registered more finely by a search over shift, scale and
 * rotation, and compared pixel by pixel (normalised cross-correlation). The same picture scores
 * near 1; what different photos reach, and the threshold between, are measured on the shared
 * images by `bench/faces/same-picture.ts` (BENCHMARKS.md).
 */
import sharp from 'sharp';
import type { DetectedFace, Landmark } from '../faces/face-matcher.ts';
import type { CheckedImage } from '../images.ts';

/** One face in one image: the bytes, their checked size, and where the face is (ratios). */
export interface FacePicture {
  bytes: Uint8Array;
  info: Pick<CheckedImage, 'width' | 'height'>;
  face: Pick<DetectedFace, 'boundingBox' | 'landmarks'>;
}

/** At or above this, two faces are the same picture. See BENCHMARKS.md for the measured margin. */
export const SAME_PICTURE_THRESHOLD = 0.97;

/** The landmarks the alignment uses, and where they go in the unit square. */
const EYE_DISTANCE = 0.6;
const CANONICAL: Record<string, [number, number]> = {
  eyeLeft: [0.5 - EYE_DISTANCE / 2, 0.4],
  eyeRight: [0.5 + EYE_DISTANCE / 2, 0.4],
  nose: [0.5, 0.4 + EYE_DISTANCE * 0.55],
  mouthLeft: [0.5 - EYE_DISTANCE * 0.4, 0.4 + EYE_DISTANCE * 0.95],
  mouthRight: [0.5 + EYE_DISTANCE * 0.4, 0.4 + EYE_DISTANCE * 0.95],
};
const LANDMARKS = Object.keys(CANONICAL);
/** Square sizes: never finer than the smaller face holds, never coarser than this. */
const MIN_SIDE = 24;
const MAX_SIDE = 64;

/** Whether `live` is the same picture as `stored` (see the module's comment). */
export async function samePicture(live: FacePicture, stored: FacePicture, threshold = SAME_PICTURE_THRESHOLD): Promise<boolean> {
  const score = await samePictureScore(live, stored);
  return score !== undefined && score >= threshold;
}

/**
 * The normalised cross-correlation (-1 to 1) of the two faces after alignment and registration;
 * undefined when either face lacks the landmarks to align it.
 */
export async function samePictureScore(a: FacePicture, b: FacePicture): Promise<number | undefined> {
  const [first, second] = await Promise.all([faceRegion(a), faceRegion(b)]);
  if (!first || !second) return undefined;
  const side = Math.max(MIN_SIDE, Math.min(MAX_SIDE, Math.round(Math.min(first.eyeDistance, second.eyeDistance) / EYE_DISTANCE)));
  // Coarse to fine: shifts, scales and angles on half-size squares, then finer steps around the best.
  let best = register(first, second, Math.round(side / 2), IDENTITY, { shifts: [-3, -2, -1, 0, 1, 2, 3], scales: [-0.04, 0, 0.04], angles: [-0.05, 0, 0.05] });
  best = register(first, second, side, { ...best, dx: best.dx * 2, dy: best.dy * 2 }, { shifts: [-1, -0.5, 0, 0.5, 1], scales: [-0.02, 0, 0.02], angles: [-0.02, 0, 0.02] });
  return correlation(sample(first, side, IDENTITY, 1), sample(second, side, best, 1), side);
}

/** The warp of `moving` near `start` (steps around it) whose square correlates best with `fixed`'s. */
function register(fixed: FaceRegion, moving: FaceRegion, side: number, start: Warp, steps: { shifts: number[]; scales: number[]; angles: number[] }): Warp {
  const reference = sample(fixed, side, IDENTITY, 1);
  let best = { score: -2, warp: start };
  for (const ds of steps.scales) {
    for (const da of steps.angles) {
      for (const ddy of steps.shifts) {
        for (const ddx of steps.shifts) {
          const warp = { dx: start.dx + ddx, dy: start.dy + ddy, scale: start.scale + ds, angle: start.angle + da };
          const score = correlation(reference, sample(moving, side, warp, 0), side);
          if (score > best.score) best = { score, warp };
        }
      }
    }
  }
  return best.warp;
}

/** A small change of the alignment: shift in square pixels, scale and angle (radians) about the centre. */
interface Warp {
  dx: number;
  dy: number;
  scale: number;
  angle: number;
}
const IDENTITY: Warp = { dx: 0, dy: 0, scale: 1, angle: 0 };

/** A face's neighbourhood, decoded in greyscale, and the affine map from the unit square into it. */
interface FaceRegion {
  pixels: Uint8Array;
  width: number;
  height: number;
  /** The affine map from the unit square into `pixels`: x = a u + b v + c, y = d u + e v + f. */
  map: Affine;
  /** Between the eyes, in pixels of the original image: how much detail the face holds. */
  eyeDistance: number;
}

async function faceRegion(picture: FacePicture): Promise<FaceRegion | undefined> {
  const { width, height } = picture.info;
  const points = LANDMARKS.map((type) => picture.face.landmarks?.find((l: Landmark) => l.type === type));
  if (points.some((p) => !p)) return undefined;
  const px = (points as Landmark[]).map((p) => [p.x * width, p.y * height] as [number, number]);
  const eyeDistance = Math.hypot(px[1]![0] - px[0]![0], px[1]![1] - px[0]![1]);
  if (!(eyeDistance >= 4)) return undefined;
  const [cx, cy] = [(px[0]![0] + px[1]![0]) / 2, (px[0]![1] + px[1]![1] + px[3]![1] + px[4]![1]) / 4];
  const reach = eyeDistance * 2;
  const left = clamp(Math.floor(cx - reach), 0, width - 1);
  const top = clamp(Math.floor(cy - reach), 0, height - 1);
  const right = clamp(Math.ceil(cx + reach), left + 1, width);
  const bottom = clamp(Math.ceil(cy + reach), top + 1, height);
  // Decoded no finer than needed: a square side is at most MAX_SIDE, so ~3x that is plenty.
  const shrink = Math.min(1, (MAX_SIDE * EYE_DISTANCE * 3) / eyeDistance);
  const w = Math.max(1, Math.round((right - left) * shrink));
  const h = Math.max(1, Math.round((bottom - top) * shrink));
  const { data } = await sharp(picture.bytes, { limitInputPixels: 25_000_000 })
    .rotate()
    .extract({ left, top, width: right - left, height: bottom - top })
    .greyscale()
    .resize(w, h, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const target = px.map(([x, y]) => [(x - left) * shrink, (y - top) * shrink] as [number, number]);
  return { pixels: data, width: w, height: h, map: affineFit(LANDMARKS.map((t) => CANONICAL[t]!), target), eyeDistance };
}

/** x = a u + b v + c, y = d u + e v + f. */
interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/**
 * The face as a `side` x `side` square, `warp` applied about its centre; `supersample` > 0
 * averages (2k+1)^2 points a pixel, against aliasing. The square's pixel (x, y) maps to the
 * region's pixels by one affine map, the warp and the landmark alignment composed.
 */
function sample(region: FaceRegion, side: number, warp: Warp, supersample: number): Float32Array {
  const { a, b, c, d, e, f } = region.map;
  const cos = (Math.cos(warp.angle) * warp.scale) / side;
  const sin = (Math.sin(warp.angle) * warp.scale) / side;
  // Unit square: u = cos x' - sin y' + u0, v = sin x' + cos y' + v0, with x' = x - side/2 in square pixels.
  const u0 = 0.5 + warp.dx / side - (cos * side) / 2 + (sin * side) / 2;
  const v0 = 0.5 + warp.dy / side - (sin * side) / 2 - (cos * side) / 2;
  const mx = a * cos + b * sin;
  const my = -a * sin + b * cos;
  const mc = a * u0 + b * v0 + c;
  const nx = d * cos + e * sin;
  const ny = -d * sin + e * cos;
  const nc = d * u0 + e * v0 + f;
  const { pixels, width, height } = region;
  const k = supersample;
  const taps = 2 * k + 1;
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let sum = 0;
      for (let sy = 0; sy < taps; sy++) {
        for (let sx = 0; sx < taps; sx++) {
          const qx = x + (sx + 0.5) / taps;
          const qy = y + (sy + 0.5) / taps;
          const px = Math.min(width - 1.001, Math.max(0, mx * qx + my * qy + mc));
          const py = Math.min(height - 1.001, Math.max(0, nx * qx + ny * qy + nc));
          const x0 = px | 0;
          const y0 = py | 0;
          const fx = px - x0;
          const fy = py - y0;
          const i = y0 * width + x0;
          const top = pixels[i]! + (pixels[i + 1]! - pixels[i]!) * fx;
          const bottom = pixels[i + width]! + (pixels[i + width + 1]! - pixels[i + width]!) * fx;
          sum += top + (bottom - top) * fy;
        }
      }
      out[y * side + x] = sum / (taps * taps);
    }
  }
  return out;
}

/** Normalised cross-correlation of two squares, inside a border (12 %) that warps leave uncertain. */
function correlation(a: Float32Array, b: Float32Array, side: number): number {
  const border = Math.round(side * 0.12);
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let y = border; y < side - border; y++) {
    for (let x = border; x < side - border; x++) {
      sa += a[y * side + x]!;
      sb += b[y * side + x]!;
      n++;
    }
  }
  const ma = sa / n;
  const mb = sb / n;
  let num = 0;
  let va = 0;
  let vb = 0;
  for (let y = border; y < side - border; y++) {
    for (let x = border; x < side - border; x++) {
      const p = a[y * side + x]! - ma;
      const q = b[y * side + x]! - mb;
      num += p * q;
      va += p * p;
      vb += q * q;
    }
  }
  return va > 0 && vb > 0 ? num / Math.sqrt(va * vb) : 0;
}

/** The least-squares affine map taking each `from` point to its `to` point. */
function affineFit(from: [number, number][], to: [number, number][]): Affine {
  const normal = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const bx = [0, 0, 0];
  const by = [0, 0, 0];
  from.forEach(([u, v], i) => {
    const row = [u, v, 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) normal[r]![c]! += row[r]! * row[c]!;
      bx[r]! += row[r]! * to[i]![0];
      by[r]! += row[r]! * to[i]![1];
    }
  });
  const [a, b, c] = solve3(normal, bx);
  const [d, e, f] = solve3(normal, by);
  return { a, b, c, d, e, f };
}

/** Solves a 3x3 linear system by Gauss-Jordan elimination with partial pivoting. */
function solve3(matrix: number[][], rhs: number[]): [number, number, number] {
  const m = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let i = 0; i < 3; i++) {
    let pivot = i;
    for (let j = i + 1; j < 3; j++) if (Math.abs(m[j]![i]!) > Math.abs(m[pivot]![i]!)) pivot = j;
    [m[i], m[pivot]] = [m[pivot]!, m[i]!];
    for (let j = 0; j < 3; j++) {
      if (j === i) continue;
      const factor = m[j]![i]! / m[i]![i]!;
      for (let k = i; k < 4; k++) m[j]![k]! -= factor * m[i]![k]!;
    }
  }
  return [m[0]![3]! / m[0]![0]!, m[1]![3]! / m[1]![1]!, m[2]![3]! / m[2]![2]!];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
