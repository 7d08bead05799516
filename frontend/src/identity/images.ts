/**
 * Photos as the API accepts them (docs/verification.md): JPEG or PNG, at most 5 MB, at least
 * 80 px a side, at most 25 megapixels. A camera frame becomes a JPEG; a chosen file is sent as it
 * is when it fits, and otherwise redrawn smaller as a JPEG, so a 12 MB phone photo still works.
 */

/** The API's limits. */
export const MAX_BYTES = 5 * 1024 * 1024;
/** The smallest accepted width and height, in pixels. */
export const MIN_SIDE = 80;
const MAX_PIXELS = 25_000_000;
/** A redrawn photo's longest side: plenty for a face or an ID card, and well under 5 MB as JPEG. */
const REDRAW_LONGEST_SIDE = 2560;
const JPEG_QUALITY = 0.92;
/** Narrower camera frames are scaled up to this width; the face matcher wants faces of some size. */
const MIN_CAPTURE_WIDTH = 640;

/** A photo ready to upload: the exact bytes, their type and size as the API is told them. */
export interface PreparedImage {
  blob: Blob;
  contentType: 'image/jpeg' | 'image/png';
  size: number;
  width: number;
  height: number;
}

/** A file that cannot be made into an acceptable photo; the message says what to do. */
export class ImageError extends Error {
  override name = 'ImageError';
}

/** Draws a frame of the live camera into a JPEG at the video's own size (at least 640 px wide). */
export async function captureFrame(video: HTMLVideoElement): Promise<PreparedImage> {
  const { videoWidth, videoHeight } = video;
  if (!videoWidth || !videoHeight) throw new ImageError('The camera is not ready yet. Wait a moment and try again.');
  const scale = videoWidth < MIN_CAPTURE_WIDTH ? MIN_CAPTURE_WIDTH / videoWidth : 1;
  return toJpeg(video, Math.round(videoWidth * scale), Math.round(videoHeight * scale));
}

/**
 * Checks a chosen file and, when it is too large, too many pixels or not JPEG/PNG but readable
 * (WebP, for one), redraws it as a JPEG that fits. Throws {@link ImageError}.
 */
export async function prepareImageFile(file: File): Promise<PreparedImage> {
  if (file.type && !file.type.startsWith('image/')) throw new ImageError('This file is not a photo. Choose a JPEG or PNG image.');
  let bitmap: ImageBitmap;
  try {
    // from-image: a phone photo turned by its EXIF orientation is redrawn the right way up.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new ImageError('This photo cannot be read. Choose a JPEG or PNG image.');
  }
  const { width, height } = bitmap;
  try {
    if (width < MIN_SIDE || height < MIN_SIDE)
      throw new ImageError(`This photo is too small (${width}×${height}). Use one at least ${MIN_SIDE} pixels on each side.`);
    const accepted = file.type === 'image/jpeg' || file.type === 'image/png';
    if (accepted && file.size <= MAX_BYTES && width * height <= MAX_PIXELS) {
      return { blob: file, contentType: file.type as PreparedImage['contentType'], size: file.size, width, height };
    }
    return await redraw(bitmap, width, height);
  } finally {
    bitmap.close();
  }
}

async function redraw(source: CanvasImageSource, width: number, height: number): Promise<PreparedImage> {
  let scale = Math.min(1, REDRAW_LONGEST_SIDE / Math.max(width, height));
  // A busy picture can still be large as JPEG; each pass shrinks it until it fits.
  for (let pass = 0; pass < 4; pass++) {
    const image = await toJpeg(source, Math.round(width * scale), Math.round(height * scale));
    if (image.size <= MAX_BYTES) return image;
    scale *= 0.7;
  }
  throw new ImageError('This photo is too large even when made smaller. Choose another photo.');
}

function toJpeg(source: CanvasImageSource, width: number, height: number): Promise<PreparedImage> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return Promise.reject(new ImageError('This browser cannot prepare the photo. Try another browser.'));
  context.drawImage(source, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) =>
        blob
          ? resolve({ blob, contentType: 'image/jpeg', size: blob.size, width, height })
          : reject(new ImageError('The photo could not be prepared. Try again.')),
      'image/jpeg',
      JPEG_QUALITY,
    ),
  );
}
