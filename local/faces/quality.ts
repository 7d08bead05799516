/**
 * How usable a face crop is, on Rekognition's 0-100 scales. Simple measures, but real ones:
 * they move with what makes matching fail (a dark face, a blurred or tiny face).
 */

/** The measured quality of one face, 0-100 each. */
export interface Quality {
  brightness: number;
  sharpness: number;
}

/**
 * Variance of the Laplacian at which sharpness reads 50. The variance grows with fine detail; on
 * the aligned 150 px crop, sharp press photos measure ~1,000 (sharpness 90+), TV stills 100-900,
 * faces blown up from 35-60 px (ID cards far from the camera) 10-60 (sharpness 9-40), a photo
 * blurred with sigma 5 ~13 and with sigma 10 ~4.
 */
export const SHARPNESS_HALF_VARIANCE = 100;

/**
 * Brightness and sharpness of a square RGB crop (`side` x `side`, values 0-255, row-major) of the
 * aligned face. Only the inner half of the crop is read (the face itself, not the background).
 *
 * - brightness: mean luminance (Rec. 601) as a percentage of white.
 * - sharpness: variance of the 3 x 3 Laplacian mapped to 0-100 by v / (v + SHARPNESS_HALF_VARIANCE);
 *   monotone, 0 for a flat image, 50 at the half-variance, approaching 100 for very crisp detail.
 */
export function measureQuality(rgb: Float32Array | Uint8Array, side: number): Quality {
  const from = Math.floor(side * 0.25);
  const to = Math.ceil(side * 0.75);
  const n = to - from;
  const grey = new Float32Array(n * n);
  let sum = 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const i = ((y + from) * side + (x + from)) * 3;
      const v = 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
      grey[y * n + x] = v;
      sum += v;
    }
  }
  const brightness = (sum / (n * n) / 255) * 100;
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      const c = grey[y * n + x];
      const lap = grey[(y - 1) * n + x] + grey[(y + 1) * n + x] + grey[y * n + x - 1] + grey[y * n + x + 1] - 4 * c;
      lapSum += lap;
      lapSq += lap * lap;
      count++;
    }
  }
  const meanLap = count ? lapSum / count : 0;
  const variance = count ? lapSq / count - meanLap * meanLap : 0;
  const sharpness = (100 * variance) / (variance + SHARPNESS_HALF_VARIANCE);
  return { brightness: round1(brightness), sharpness: round1(sharpness) };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
