/**
 * Rekognition's own checks of an `Image.Bytes` input, as its API reference documents them, made
 * before any face is looked for: 1 byte to 5 MB, JPEG or PNG, at least 80 pixels a side. Whatever
 * else is wrong with the file (cut short, too many pixels) shows when the engine decodes it.
 */
import { imageSize } from 'image-size';

/** Rekognition takes at most 5 MB of image bytes (`Bytes`: length 1 to 5242880). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Rekognition's smallest image: 80 pixels for both width and height. */
export const MIN_IMAGE_SIDE = 80;

/** Why Rekognition refuses an image, with the exception it answers. */
export type ImageInputProblem =
  | { exception: 'ImageTooLargeException'; message: string }
  | { exception: 'InvalidImageFormatException'; message: string }
  | { exception: 'InvalidParameterException'; message: string };

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What Rekognition would refuse `bytes` for, or undefined when it would look at them. */
export function imageInputProblem(bytes: Uint8Array): ImageInputProblem | undefined {
  if (bytes.length === 0) return { exception: 'InvalidParameterException', message: 'the image is empty' };
  if (bytes.length > MAX_IMAGE_BYTES) return { exception: 'ImageTooLargeException', message: 'Image size is too large.' };
  const format = startsWith(bytes, JPEG_MAGIC) ? 'jpg' : startsWith(bytes, PNG_MAGIC) ? 'png' : undefined;
  const invalidFormat = { exception: 'InvalidImageFormatException', message: 'Request has invalid image format' } as const;
  if (!format) return invalidFormat;
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return invalidFormat;
  }
  if (size.type !== format || !(size.width > 0) || !(size.height > 0)) return invalidFormat;
  if (size.width < MIN_IMAGE_SIDE || size.height < MIN_IMAGE_SIDE) {
    return { exception: 'InvalidParameterException', message: `the image is ${size.width}x${size.height}; Rekognition needs at least ${MIN_IMAGE_SIDE} pixels on each side` };
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
