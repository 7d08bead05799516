/**
 * The geometry of the face movement challenge, computed the way Amplify's FaceLivenessDetector
 * computes it on the client, so the server judges the face against the oval as the component
 * the person watched did: the "face box" built from the eyes, nose, mouth and ears (not the
 * detector's box), its intersection over union with the oval's bounding box, and boxes as ratios of the
 * video (how the client reports InitialFace and TargetFace).
 */
import type { OvalParameters } from './challenge.ts';

/** A box in pixels, edges included. */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A point in pixels. */
export interface Point {
  x: number;
  y: number;
}

/** Amplify's weights for the face box (PUPIL_DISTANCE_WEIGHT, FACE_HEIGHT_WEIGHT). */
const PUPIL_DISTANCE_WEIGHT = 2.0;
const FACE_HEIGHT_WEIGHT = 1.8;

/** The points of a face that Amplify's face box is made from; left and right as the image shows them. */
export interface FaceLandmarks {
  eyeLeft: Point;
  eyeRight: Point;
  nose: Point;
  mouth: Point;
  /** The ear (tragion) on the image's left. */
  earLeft: Point;
  earRight: Point;
}

/**
 * Amplify's `generateBboxFromLandmarks`, step for step: a box as wide as (2 x pupil distance +
 * 1.8 x eye-to-mouth distance) / 2 and `heightWidthRatio` times as tall, widened to the ears
 * where they stick out (by 5-20 % of its width on a frontal face), centred between the eyes and
 * the nose, or on the eyes once they are below half the oval's bottom edge (Amplify's "face tilts
 * down" test, as written: `(ovalTop + ovalHeight) / 2`). Without the ears the component's box was
 * 23 % wider than this one (median over 142 frames of 36 LFW people; bench/liveness/face-box.ts),
 * so a face the component saw fit the oval fell short of it for the server. Symmetric, so it is
 * the same box whether the image is mirrored (as the component's detector sees it) or not (as the
 * video is sent).
 */
export function faceBoxFromLandmarks(face: FaceLandmarks, oval: Rect, heightWidthRatio: number, frameHeight: number): Rect {
  const eyeCenter = { x: (face.eyeLeft.x + face.eyeRight.x) / 2, y: (face.eyeLeft.y + face.eyeRight.y) / 2 };
  const pupilDistance = Math.hypot(face.eyeLeft.x - face.eyeRight.x, face.eyeLeft.y - face.eyeRight.y);
  const faceHeight = Math.hypot(eyeCenter.x - face.mouth.x, eyeCenter.y - face.mouth.y);
  const width = (PUPIL_DISTANCE_WEIGHT * pupilDistance + FACE_HEIGHT_WEIGHT * faceHeight) / 2;
  const height = heightWidthRatio * width;
  const tiltsDown = eyeCenter.y > (oval.top + (oval.bottom - oval.top)) / 2;
  const center = tiltsDown ? eyeCenter : { x: (eyeCenter.x + face.nose.x) / 2, y: (eyeCenter.y + face.nose.y) / 2 };
  return {
    left: Math.min(center.x - width / 2, face.earLeft.x),
    right: Math.max(center.x + width / 2, face.earRight.x),
    top: Math.max(center.y - height / 2, 0),
    bottom: Math.min(center.y + height / 2, frameHeight),
  };
}

/** The oval's bounding box in the (unmirrored) video. */
export function ovalRect(oval: OvalParameters): Rect {
  return { left: oval.CenterX - oval.Width / 2, right: oval.CenterX + oval.Width / 2, top: oval.CenterY - oval.Height / 2, bottom: oval.CenterY + oval.Height / 2 };
}

/** Intersection over union of two boxes (Amplify's `getIntersectionOverUnion`). */
export function iou(a: Rect, b: Rect): number {
  const w = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const h = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const inter = w * h;
  if (inter === 0) return 0;
  return inter / (area(a) + area(b) - inter);
}

export function area(r: Rect): number {
  return Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
}

export function center(r: Rect): Point {
  return { x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2 };
}

/** A box as Rekognition's BoundingBox (ratios of the video). */
export function toBoundingBox(r: Rect, width: number, height: number): { Width: number; Height: number; Left: number; Top: number } {
  return { Width: (r.right - r.left) / width, Height: (r.bottom - r.top) / height, Left: r.left / width, Top: r.top / height };
}

/** A BoundingBox (ratios) back to pixels; undefined when it is not a box. */
export function fromBoundingBox(box: unknown, width: number, height: number): Rect | undefined {
  const b = box as { Width?: unknown; Height?: unknown; Left?: unknown; Top?: unknown } | undefined;
  const values = [b?.Width, b?.Height, b?.Left, b?.Top];
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  const [w, h, l, t] = values as number[];
  if (w <= 0 || h <= 0 || w > 2 || h > 2 || l < -1 || t < -1 || l > 2 || t > 2) return undefined;
  return { left: l * width, top: t * height, right: (l + w) * width, bottom: (t + h) * height };
}
