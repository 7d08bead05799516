/**
 * Straightens a card photographed at an angle: the homography that maps the card's four corners
 * onto an upright rectangle, and a bilinear resampling of the photo through it.
 */
import type { Point, RawImage } from './card-finder.ts';

/**
 * The 3x3 homography (row-major, h33 = 1) taking each `from[i]` to `to[i]`: the 8x8 linear
 * system of the direct linear transform, solved by Gaussian elimination with partial pivoting.
 */
export function homography(from: Point[], to: Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let row = col + 1; row < 8; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const lead = a[col]![col]!;
    if (Math.abs(lead) < 1e-12) throw new Error('the corners do not span a quadrilateral');
    for (let row = 0; row < 8; row++) {
      if (row === col) continue;
      const factor = a[row]![col]! / lead;
      for (let k = col; k < 9; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

/**
 * The card cut out of `image` (one channel) and made upright at `width` x `height`: each output
 * pixel is looked up through the homography from the rectangle to the corners (top-left,
 * top-right, bottom-right, bottom-left) and interpolated bilinearly.
 */
export function warpToRectangle(image: RawImage, corners: Point[], width: number, height: number): RawImage {
  if (image.channels !== 1) throw new Error('warpToRectangle takes a one-channel image');
  const rectangle = [
    { x: 0, y: 0 },
    { x: width - 1, y: 0 },
    { x: width - 1, y: height - 1 },
    { x: 0, y: height - 1 },
  ];
  const h = homography(rectangle, corners);
  const out = new Uint8Array(width * height);
  const { data, width: w, height: hgt } = image;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = h[6]! * x + h[7]! * y + h[8]!;
      const sx = (h[0]! * x + h[1]! * y + h[2]!) / d;
      const sy = (h[3]! * x + h[4]! * y + h[5]!) / d;
      const x0 = Math.min(w - 2, Math.max(0, Math.floor(sx)));
      const y0 = Math.min(hgt - 2, Math.max(0, Math.floor(sy)));
      const fx = Math.min(1, Math.max(0, sx - x0));
      const fy = Math.min(1, Math.max(0, sy - y0));
      const i = y0 * w + x0;
      const top = data[i]! + (data[i + 1]! - data[i]!) * fx;
      const bottom = data[i + w]! + (data[i + w + 1]! - data[i + w]!) * fx;
      out[y * width + x] = Math.round(top + (bottom - top) * fy);
    }
  }
  return { data: out, width, height, channels: 1 };
}
