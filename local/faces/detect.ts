/**
 * Finding faces: Human's BlazeFace detector, refined by FaceMesh.
 *
 * BlazeFace alone finds faces well but its boxes are coarse; FaceMesh (468 points) on each box
 * gives a better centred box, a second opinion on whether it is a face at all, and the head angles.
 * Measured here, this pair found a face in 405 of 406 real photos and in every synthetic ID card,
 * where face-api's own detectors missed many (see /work/shared/FACES.md).
 */
import type * as TF from '@tensorflow/tfjs-core';

import { type Box, type Point, squareAround } from './align.ts';
import { cropAndResize } from './crop.ts';
import type { HumanFace, Models } from './models.ts';

/** A face as the detector reports it, in pixels of the tensor it was given. */
export interface DetectedCandidate {
  /** Bounding box of the mesh points: the face from forehead to chin, ear to ear. */
  meshBox: Box;
  /** Confidence that this is a face, 0-1 (FaceMesh's score, else the detector's). */
  confidence: number;
  /** The detector's own score, 0-1. */
  detectorScore: number;
  /** Degrees, from the mesh. */
  yaw: number;
  pitch: number;
  /** Named mesh points, in `image`'s pixels (see {@link MESH_KEYPOINTS}). */
  keypoints: MeshKeypoints;
  /** Human's passive anti-spoofing scores (0-1), when asked for. */
  passive?: { antispoof: number; liveness: number };
}

/** Points of the face mesh that the liveness checks and Amplify's face box use; left and right as the image shows them. */
export interface MeshKeypoints {
  /** Centre of the eye on the image's left (the subject's right eye). */
  eyeImageLeft: Point;
  eyeImageRight: Point;
  noseTip: Point;
  mouthCenter: Point;
  /** The tragion (ear) on the image's left. */
  earImageLeft: Point;
  earImageRight: Point;
}

/**
 * MediaPipe FaceMesh indices (468-point topology): eye corners (33/133 and 362/263), nose tip (1),
 * inner lip midpoints (13, 14) and the face contour at the ears (234, 454).
 */
const MESH_KEYPOINTS = { eyeImageLeft: [33, 133], eyeImageRight: [362, 263], noseTip: [1], mouthCenter: [13, 14], earImageLeft: [234], earImageRight: [454] } as const;

/** Options of {@link detectCandidates}. */
export interface DetectOptions {
  /** Also run Human's antispoof and liveness models on each face (see the liveness stand-in's measurements before relying on them). */
  passive?: boolean;
}

/**
 * FaceMesh scores below this are not faces. Human itself drops only below 0.2. Every real face in
 * /work/shared/faces scores 1.0 (Human rounds to 0.01); the false detections seen (a painted
 * background, a second hit on one face) scored 0.56-0.77.
 */
export const MIN_FACE_CONFIDENCE = 0.8;

/**
 * BlazeFace sees the whole image at 256 x 256, so a face under ~20 px at that scale is missed or
 * boxed badly: a 130 px face on an ID card photographed in a 2400 px scene, for one (its
 * whole-image box there was off by half a face, with the mesh still "sure"). So when the whole
 * image yields nothing, or only faces narrower than SMALL_FACE_SHARE of its longer side, we look
 * again where the face is larger to the detector; those detections win over whole-image ones for
 * the same face. Only images whose 2 x 2 tiles would stay at least MIN_TILE_SIDE get a second look
 * (a smaller image has no faces the whole-image pass is too coarse for). A selfie or a card
 * filling the frame never gets one.
 *
 * The second look is first a focused one: a square FOCUS_SCALE x the face around each face the
 * whole image did yield, at most MAX_FOCUS of them. When it yielded no sure face, its unsure hits
 * are the hints: one far card's face scored 0.37 on the whole image and 1.0 in focus. The face
 * then spans a quarter of what the detector sees, a size BlazeFace boxes well, for one detector
 * run per face. Only when that confirms nothing, or there are more small faces than MAX_FOCUS (a
 * group photo), do we search the whole image in overlapping tiles (2 x 2; 3 x 3 if still
 * nothing), each seen at 256 x 256, where a face is 2-3 x larger to the detector: 4-13 runs.
 * Over all 109 images of /work/shared/faces the focused look found the same faces as the tiles
 * (descriptors within cosine 0.9994 of the tiled ones), and it took the 21 cards that were tiled
 * from 5 detector runs to 2, 70-250 ms less each on one core.
 */
const MIN_TILE_SIDE = 320;
const SMALL_FACE_SHARE = 0.08;
/** Side of the focused look's square, in face widths; 4 leaves room for a whole-image box that is off by half a face. */
const FOCUS_SCALE = 4;
/** More small faces than this are searched for in tiles instead: 2 x 2 tiles cost about as much as four focused looks. */
const MAX_FOCUS = 3;
/**
 * Every extra look is another chance of a false face: in tiles of ID-card scenes FaceMesh took
 * bits of printed text for faces at 0.87-0.95. Real faces found in tiles scored 1.0 (Human rounds
 * to 0.01), so detections of the second look (focused or tiled) must reach this.
 */
const TILE_MIN_CONFIDENCE = 0.99;
const TILE_GRIDS = [2, 3];
/** Tiles overlap so a face on a tile border is whole in one of them. */
const TILE_OVERLAP = 1.5;

/**
 * Two candidates are one face when this share of the smaller box lies inside the other. Low,
 * because a poor whole-image box of a small face may cover only its upper half; faces of
 * different people overlap far less than this.
 */
const DUPLICATE_OVERLAP = 0.25;

/**
 * The detector works on a copy of the image (or tile) no larger than this. BlazeFace sees
 * 256 x 256 either way and FaceMesh a 192 px crop of each face, so detection loses nothing that
 * matters (the mesh only seeds the landmark passes, which run on the full-resolution image), while
 * Human's copies of its input stay small (it clones the whole tensor twice: on a 1434 x 2333
 * photo, detecting at full size grew the WASM heap, which never shrinks, by ~130 MB) and tiles
 * cost less. Measured over /work/shared/faces: whole image at 960, tiles at 640 kept every face
 * and the accuracy of full-size detection; 640 for the whole image lost a face.
 */
export const DETECT_MAX_SIDE = 960;
export const TILE_MAX_SIDE = 640;

/**
 * Faces narrower than this are not reported (mesh box, in pixels of the working image: the decoded
 * image after any shrinking to MAX_WORKING_SIDE). Tiles of ID-card scenes produced a few "faces"
 * of 20-30 px in printed text; the smallest real face in our sets (a card far from the camera)
 * measures 35 px, and below ~32 px a 150 px descriptor crop is mostly interpolation anyway.
 */
export const MIN_FACE_SIDE = 32;

/** Runs the detector on `image` ([1, H, W, 3], float 0-255) and returns the faces it is sure of, each once, in `image`'s pixels. */
export async function detectCandidates(models: Models, image: TF.Tensor4D, options: DetectOptions = {}): Promise<DetectedCandidate[]> {
  const [, height, width] = image.shape;
  const hits = await detectIn(models, image, { x: 0, y: 0, width, height }, DETECT_MAX_SIDE, 0, options);
  const whole = dedupe(hits.filter((c) => c.confidence >= MIN_FACE_CONFIDENCE));
  const largest = Math.max(0, ...whole.map((c) => c.meshBox.width));
  if (whole.length > 0 && largest >= SMALL_FACE_SHARE * Math.max(width, height)) return whole;
  if (Math.min(tileSide(width, 2), tileSide(height, 2)) < MIN_TILE_SIDE) return whole;

  const hints = whole.length > 0 ? whole : dedupe(hits);
  if (hints.length > 0 && hints.length <= MAX_FOCUS) {
    const focused: DetectedCandidate[] = [];
    for (const hint of hints) {
      const region = squareAround(hint.meshBox, FOCUS_SCALE);
      focused.push(...(await detectIn(models, image, region, TILE_MAX_SIDE, TILE_MIN_CONFIDENCE, options)));
    }
    // Focused detections first: for the same face they saw it larger.
    if (focused.length > 0) return dedupe([...dedupe(focused), ...whole]);
  }

  for (const grid of TILE_GRIDS) {
    const tileW = tileSide(width, grid);
    const tileH = tileSide(height, grid);
    if (Math.min(tileW, tileH) < MIN_TILE_SIDE) break;
    const tiled: DetectedCandidate[] = [];
    for (let row = 0; row < grid; row++) {
      for (let col = 0; col < grid; col++) {
        const x = Math.round(((width - tileW) * col) / (grid - 1));
        const y = Math.round(((height - tileH) * row) / (grid - 1));
        tiled.push(...(await detectIn(models, image, { x, y, width: tileW, height: tileH }, TILE_MAX_SIDE, TILE_MIN_CONFIDENCE, options)));
      }
    }
    // Tile detections first: for the same face they saw it larger.
    if (tiled.length > 0) return dedupe([...dedupe(tiled), ...whole]);
    if (whole.length > 0) break;
  }
  return whole;
}

/** Side of one tile of a `grid` x `grid` search along an image side of `length` px. */
function tileSide(length: number, grid: number): number {
  return Math.min(length, Math.round((length / grid) * TILE_OVERLAP));
}

/**
 * Detects in `region` of `image` (which may reach outside it: grey there), seen at no more than
 * `maxSide`; returns the faces scoring at least `minConfidence`, in `image`'s pixels.
 */
async function detectIn(models: Models, image: TF.Tensor4D, region: Box, maxSide: number, minConfidence: number, options: DetectOptions): Promise<DetectedCandidate[]> {
  const scale = Math.min(1, maxSide / Math.max(region.width, region.height));
  const outW = Math.max(1, Math.round(region.width * scale));
  const outH = Math.max(1, Math.round(region.height * scale));
  // One crop-and-scale op (not slice: WASM's slice of a large 4-D tensor took ~140 ms). Passed to
  // Human as 3-D, which it only reshapes; a 4-D input it would clone first.
  const view = models.tf.tidy(() => models.tf.reshape(cropAndResize(models.tf, image, region, outH, outW), [outH, outW, 3]));
  try {
    // Human keeps a merged config between calls, so both switches are set on every call.
    const passive = options.passive === true;
    const result = await models.human.detect(view, { face: { antispoof: { enabled: passive }, liveness: { enabled: passive } } });
    if (result.error) throw new Error(`face detector failed: ${result.error}`);
    const out: DetectedCandidate[] = [];
    for (const face of result.face) {
      const candidate = toCandidate(face, region, outW / region.width, outH / region.height);
      if (candidate && candidate.confidence >= minConfidence && candidate.meshBox.width >= MIN_FACE_SIDE) out.push(candidate);
    }
    // Most confident first, so `dedupe` keeps the better of two hits on one face.
    return out.sort((a, b) => b.confidence - a.confidence || b.detectorScore - a.detectorScore);
  } finally {
    view.dispose();
  }
}

function toCandidate(face: HumanFace, region: Box, scaleX: number, scaleY: number): DetectedCandidate | null {
  const confidence = face.faceScore || face.score;
  if (face.mesh.length === 0) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of face.mesh) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  if (!(maxX > minX && maxY > minY)) return null;
  const angle = face.rotation?.angle;
  const point = (indices: readonly number[]): Point => {
    let x = 0;
    let y = 0;
    for (const i of indices) {
      x += face.mesh[i]?.[0] ?? NaN;
      y += face.mesh[i]?.[1] ?? NaN;
    }
    return { x: region.x + x / indices.length / scaleX, y: region.y + y / indices.length / scaleY };
  };
  const keypoints = Object.fromEntries(Object.entries(MESH_KEYPOINTS).map(([name, indices]) => [name, point(indices)])) as unknown as MeshKeypoints;
  return {
    meshBox: { x: region.x + minX / scaleX, y: region.y + minY / scaleY, width: (maxX - minX) / scaleX, height: (maxY - minY) / scaleY },
    confidence,
    detectorScore: face.boxScore,
    yaw: angle ? (angle.yaw * 180) / Math.PI : 0,
    pitch: angle ? (angle.pitch * 180) / Math.PI : 0,
    keypoints,
    ...(face.real !== undefined && face.live !== undefined ? { passive: { antispoof: face.real, liveness: face.live } } : {}),
  };
}

/**
 * Drops second detections of one face. BlazeFace can hit one face at two scales, and FaceMesh then
 * pulls both boxes onto it; tiles overlap by design. Earlier entries win; among the rest, the more
 * confident. Callers put preferred sources first and dedupe each source on its own.
 */
export function dedupe(candidates: DetectedCandidate[]): DetectedCandidate[] {
  const kept: DetectedCandidate[] = [];
  for (const c of candidates) {
    if (!kept.some((k) => overlapOfSmaller(k.meshBox, c.meshBox) > DUPLICATE_OVERLAP)) kept.push(c);
  }
  return kept;
}

/** Intersection area over the smaller box's area. */
export function overlapOfSmaller(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a.width * a.height, b.width * b.height);
}
