/**
 * Synthetic "face pictures" for the same-picture check's wiring: a smooth random texture with
 * five landmarks where a face's eyes, nose and mouth corners would be. Two seeds are two
 * different pictures; a re-encoded, scaled or card-mounted copy is the same picture with its
 * landmarks moved along. (Real faces are measured by bench/faces/same-picture.ts.)
 */
import sharp from 'sharp';
import type { Landmark } from '../../functions/verification/faces/face-matcher.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

/** An image with its face's landmarks as ratios of its size, as Rekognition reports them. */
export interface Picture {
  bytes: Buffer;
  width: number;
  height: number;
  landmarks: Landmark[];
}

const FACE: [string, number, number][] = [
  ['eyeLeft', 0.36, 0.4],
  ['eyeRight', 0.64, 0.4],
  ['nose', 0.5, 0.55],
  ['mouthLeft', 0.4, 0.7],
  ['mouthRight', 0.6, 0.7],
];

/** A `size` x `size` JPEG of smooth noise from `seed`, its "face" filling it. */
export async function texturePicture(seed: number, size = 320): Promise<Picture> {
  const random = seededRandom(seed);
  const cells = 40;
  const raw = Buffer.alloc(cells * cells * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(random() * 256);
  const bytes = await sharp(raw, { raw: { width: cells, height: cells, channels: 3 } })
    .resize(size, size, { kernel: 'cubic' })
    .blur(1.2)
    .jpeg({ quality: 92 })
    .toBuffer();
  return { bytes, width: size, height: size, landmarks: FACE.map(([type, x, y]) => ({ type, x, y })) };
}

/** The same picture re-encoded at `quality` and scaled by `scale`. */
export async function copyOf(picture: Picture, { quality = 60, scale = 1 } = {}): Promise<Picture> {
  const width = Math.round(picture.width * scale);
  const height = Math.round(picture.height * scale);
  const bytes = await sharp(picture.bytes).resize(width, height).jpeg({ quality }).toBuffer();
  return { bytes, width, height, landmarks: picture.landmarks };
}

/** The picture printed at half size on a 900 x 560 "card", at (60, 120): an ID photo. */
export async function onCard(picture: Picture): Promise<Picture> {
  const [width, height, left, top] = [900, 560, 60, 120];
  const portrait = await sharp(picture.bytes).resize(Math.round(picture.width / 2)).toBuffer();
  const bytes = await sharp({ create: { width, height, channels: 3, background: '#d8e4ee' } })
    .composite([{ input: portrait, left, top }])
    .jpeg({ quality: 90 })
    .toBuffer();
  const landmarks = picture.landmarks.map((l) => ({ type: l.type, x: (left + (l.x * picture.width) / 2) / width, y: (top + (l.y * picture.height) / 2) / height }));
  return { bytes, width, height, landmarks };
}

/** The picture's face as Rekognition's DetectFaces / CompareFaces describe it. */
export function faceDetail(picture: Picture) {
  const xs = picture.landmarks.map((l) => l.x);
  const ys = picture.landmarks.map((l) => l.y);
  const [left, top] = [Math.min(...xs) - 0.1, Math.min(...ys) - 0.2];
  return {
    BoundingBox: { Left: left, Top: top, Width: Math.max(...xs) + 0.1 - left, Height: Math.max(...ys) + 0.15 - top },
    Confidence: 99.9,
    Quality: { Brightness: 80, Sharpness: 80 },
    Landmarks: picture.landmarks.map((l) => ({ Type: l.type as never, X: l.x, Y: l.y })),
  };
}
