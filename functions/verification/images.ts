/**
 * The first gate an uploaded photo meets, before any face model or Rekognition sees it: size in
 * bytes, format by magic bytes, pixel dimensions from the header. Nothing is decoded here (the
 * verify Lambda has no native image library, and a decoder is exactly what a decompression bomb
 * attacks), so a 100000x100000 PNG of a few hundred bytes is refused by its header alone.
 */
import { crc32 } from 'node:zlib';
import { imageSize } from 'image-size';

/** Why an image was refused; stable codes for logs, tests and the `InvalidImage` error a person sees. */
export type InvalidImageCode = 'EMPTY' | 'TOO_LARGE' | 'UNSUPPORTED_FORMAT' | 'CORRUPT' | 'TOO_SMALL' | 'TOO_MANY_PIXELS';

/** An image refused by {@link checkImage}; `message` tells a person what to do about it. */
export class InvalidImageError extends Error {
  override readonly name = 'InvalidImageError';
  constructor(
    readonly code: InvalidImageCode,
    message: string,
  ) {
    super(message);
  }
}

/** Limits of {@link checkImage}; the defaults are Rekognition's (5 MB as bytes, 80 px a side). */
export interface ImageLimits {
  /** Largest accepted size in bytes; default 5 MiB. */
  maxBytes?: number;
  /** Smallest accepted width and height in pixels; default 80. */
  minSide?: number;
  /** Largest accepted width x height; default 25 million (a 6000x4000 phone photo is 24 million). */
  maxPixels?: number;
}

/** What {@link checkImage} learned from the header. */
export interface CheckedImage {
  format: 'jpeg' | 'png';
  /** Width and height as the image is shown, i.e. after its EXIF orientation (5-8 swap them). */
  width: number;
  height: number;
  /** EXIF orientation, 1-8; 1 when the image has none. */
  orientation: number;
}

const MIB = 1024 * 1024;
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const EOI = Buffer.from([0xff, 0xd9]);

/**
 * Checks that `bytes` are a JPEG or PNG photo within `limits` and returns its format and shown
 * size. Throws {@link InvalidImageError}. The format comes from the magic bytes only: a file
 * name or a declared content type is whatever the uploader says it is.
 */
export function checkImage(bytes: Uint8Array, limits: ImageLimits = {}): CheckedImage {
  const { maxBytes = 5 * MIB, minSide = 80, maxPixels = 25_000_000 } = limits;
  if (bytes.length === 0) throw new InvalidImageError('EMPTY', 'The image is empty; take the photo again');
  if (bytes.length > maxBytes) {
    throw new InvalidImageError('TOO_LARGE', `The image is larger than ${formatBytes(maxBytes)}; take a smaller photo`);
  }
  const format = startsWith(bytes, JPEG_MAGIC) ? 'jpeg' : startsWith(bytes, PNG_MAGIC) ? 'png' : undefined;
  if (!format) throw new InvalidImageError('UNSUPPORTED_FORMAT', 'Only JPEG or PNG photos are accepted');
  if (format === 'png' && !pngHeaderIntact(bytes)) throw corrupt();

  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    throw corrupt();
  }
  // image-size runs its own detection; it must agree with ours, or the header is not what it seems.
  if (size.type !== (format === 'jpeg' ? 'jpg' : 'png') || !(size.width > 0) || !(size.height > 0)) throw corrupt();

  const orientation = size.orientation !== undefined && size.orientation >= 1 && size.orientation <= 8 ? size.orientation : 1;
  const swapped = orientation >= 5;
  const width = swapped ? size.height : size.width;
  const height = swapped ? size.width : size.height;
  // Pixels first: a bomb can also be "too small" on one side, and it is the bomb we must name.
  if (width * height > maxPixels) {
    throw new InvalidImageError('TOO_MANY_PIXELS', `The image has too many pixels (${width}x${height}); take a photo of at most ${Math.floor(maxPixels / 1e6)} megapixels`);
  }
  if (width < minSide || height < minSide) {
    throw new InvalidImageError('TOO_SMALL', `The image is too small: at least ${minSide} pixels on each side`);
  }
  // A header alone reads fine from a cut-off upload; the end marker says the rest arrived too.
  if (!(format === 'jpeg' ? jpegComplete(bytes) : pngComplete(bytes))) throw corrupt();
  return { format, width, height, orientation };
}

function corrupt(): InvalidImageError {
  return new InvalidImageError('CORRUPT', 'The image file is damaged or incomplete; take the photo again');
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function formatBytes(n: number): string {
  return n % MIB === 0 ? `${n / MIB} MB` : `${n} bytes`;
}

/** The IHDR chunk is the first, 13 bytes long, with a matching CRC: the dimensions in it are real. */
function pngHeaderIntact(bytes: Uint8Array): boolean {
  if (bytes.length < 33) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  return view.getUint32(8) === 13 && type === 'IHDR' && crc32(bytes.subarray(12, 29)) === view.getUint32(29);
}

/**
 * Walks the PNG's chunks (length, type, data, CRC) to IEND, which must have arrived whole. Some
 * tools append data after IEND, so it need not end the file. Not "the bytes IEND occur
 * somewhere": compressed pixel data or a profile can hold them, and a file cut after such an
 * occurrence, or inside IEND's own CRC, is still incomplete.
 */
function pngComplete(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 8; i + 12 <= bytes.length; i += 12 + view.getUint32(i)) {
    if (String.fromCharCode(...bytes.subarray(i + 4, i + 8)) === 'IEND') return true;
  }
  return false;
}

/**
 * Walks the JPEG's segments to the start of scan, then looks for the end-of-image marker after
 * it. Not "last two bytes": phones append data after EOI (motion photos, Samsung trailers), and an
 * EXIF thumbnail has its own EOI before the main image's scan, so only one after SOS counts.
 * Inside scan data 0xFF is always followed by 0x00 or a restart marker, so FF D9 there is EOI.
 */
function jpegComplete(bytes: Uint8Array): boolean {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return false;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker === 0xda) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(EOI, i + 2 + length) >= 0;
    i += 2 + length;
  }
  return false;
}
