/**
 * Image bytes to RGB pixels, the way a camera meant them: EXIF orientation applied, alpha
 * flattened, greyscale expanded to three channels. Runs in the worker threads.
 */
import sharp from 'sharp';

import { ImageDecodeError } from './types.ts';

/** Larger inputs are refused before decoding (a decompression bomb costs nothing to send). */
export const MAX_INPUT_PIXELS = 40_000_000;

/**
 * The longest side the pipeline works on. Larger images are shrunk first: BlazeFace sees a
 * 256 x 256 copy anyway, and every face that is big enough to match (Rekognition asks for 40 px in
 * a 1920 x 1080 image) stays big enough; it keeps tensors (and the WASM heap, which never shrinks)
 * small. Reported coordinates are scaled back to the full image.
 */
export const MAX_WORKING_SIDE = 2560;

/** The image's longer side is under this: it gets a grey border before detection (see `pad`). */
export const SMALL_IMAGE_SIDE = 400;

/** The border added to small images, as a fraction of each side. */
export const SMALL_IMAGE_BORDER = 0.4;

/** The grey of that border. */
export const BORDER_GREY = 128;

/** The image is larger than `MAX_INPUT_PIXELS`. A kind of `ImageDecodeError`, so callers that only know that one still treat it as unreadable. */
export class ImageTooLargeError extends ImageDecodeError {
  /** Tells it apart from other decode errors without relying on `instanceof` across threads. */
  readonly tooLarge = true;
}

/** Decoded pixels: RGB, row-major, 3 bytes per pixel. */
export interface DecodedImage {
  /** Pixels of the working image (`width` x `height`). */
  data: Uint8Array;
  width: number;
  height: number;
  /** Size of the full image after EXIF orientation: what coordinates are reported in. */
  fullWidth: number;
  fullHeight: number;
  /** Full-image pixels per working-image pixel (>= 1). */
  scale: number;
}

/**
 * Decodes JPEG or PNG bytes. Throws `ImageTooLargeError` above `MAX_INPUT_PIXELS` and
 * `ImageDecodeError` for anything else it cannot read (other formats included: Rekognition
 * accepts only JPEG and PNG, and refusing the rest keeps SVG/TIFF parsers away from user input).
 */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const };
  const meta = await sharp(input, options)
    .metadata()
    .catch((err: unknown) => {
      throw toDecodeError(err);
    });
  if (meta.format !== 'jpeg' && meta.format !== 'png') {
    throw new ImageDecodeError(`unsupported image format: ${meta.format ?? 'unknown'} (JPEG or PNG only)`);
  }
  if (!meta.width || !meta.height) throw new ImageDecodeError('image has no size');
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw new ImageTooLargeError(`image has ${meta.width * meta.height} pixels, more than ${MAX_INPUT_PIXELS}`);
  }
  // EXIF orientations 5-8 swap width and height.
  const swap = (meta.orientation ?? 1) >= 5;
  const fullWidth = swap ? meta.height : meta.width;
  const fullHeight = swap ? meta.width : meta.height;
  try {
    const { data, info } = await sharp(input, options)
      .rotate()
      .resize({ width: MAX_WORKING_SIDE, height: MAX_WORKING_SIDE, fit: 'inside', withoutEnlargement: true })
      // A transparent background becomes white, as a viewer would show it; without this the
      // hidden RGB under alpha 0 (often black) would reach the detector.
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new ImageDecodeError(`unexpected channel count ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      fullWidth,
      fullHeight,
      scale: fullWidth / info.width,
    };
  } catch (err) {
    throw toDecodeError(err);
  }
}

function toDecodeError(err: unknown): ImageDecodeError {
  if (err instanceof ImageDecodeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) return new ImageTooLargeError(message, { cause: err });
  return new ImageDecodeError(`cannot decode image: ${message}`, { cause: err });
}
