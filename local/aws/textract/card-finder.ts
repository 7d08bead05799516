/**
 * Finds an ID card (or a passport page) in a photo: the largest region that stands out from the
 * background around the photo's edges, fitted with a quadrilateral. A photo that is the card
 * itself (cropped to it, or filled by it) has no such region, and the whole image is the card.
 */

/** A point in image pixels. */
export interface Point {
  x: number;
  y: number;
}

/** An image's pixels, `channels` bytes each, row by row. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

/** ID-1 cards are 85.6 x 54 mm; a passport's data page (ID-3) 125 x 88 mm. */
const SHAPES = { min: 1.25, max: 2.0 };
/** A found region smaller than this share of the photo is a detail, not the card. */
const MIN_AREA_SHARE = 0.04;

/**
 * The card's four corners in `image` (top-left, top-right, bottom-right, bottom-left, with the
 * card's long side on top), or undefined when no card-shaped region stands out from the
 * background: then the image is taken as the card itself. `image` is small and blurred: a
 * few hundred pixels a side is plenty to find a card, and the blur hides wood grain and noise.
 */
export function findCard(image: RawImage): Point[] | undefined {
  const background = borderColour(image);
  if (!background) return undefined;
  const mask = foregroundMask(image, background);
  const region = largestRegion(mask, image.width, image.height);
  if (!region || region.area < MIN_AREA_SHARE * image.width * image.height) return undefined;
  const hull = convexHull(region.extremes);
  if (hull.length < 4) return undefined;
  const quad = simplifyToQuad(hull);
  const quadArea = polygonArea(quad);
  // A card is convex and solid: the region fills its quadrilateral, which has a card's shape.
  if (region.area < 0.8 * quadArea) return undefined;
  const ordered = orderCorners(quad);
  const ratio = sideRatio(ordered);
  if (ratio < SHAPES.min || ratio > SHAPES.max) return undefined;
  return ordered;
}

/**
 * The colour around the photo's edges (median of the outer frame), or undefined when the edges are
 * not one background: their colours spread too wide (a card filling the photo has a coloured band
 * on one edge and a light field on another).
 */
function borderColour(image: RawImage): number[] | undefined {
  const { width, height, channels, data } = image;
  const frame = Math.max(2, Math.round(Math.min(width, height) * 0.03));
  const samples: number[][] = Array.from({ length: channels }, () => []);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y >= frame && y < height - frame && x >= frame && x < width - frame) continue;
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) samples[c]!.push(data[i + c]!);
    }
  }
  const medians = samples.map(median);
  // How far the edge pixels stray from their median: most of them must be close.
  const spread = samples.map((values, c) => median(values.map((v) => Math.abs(v - medians[c]!))));
  return Math.max(...spread) > 24 ? undefined : medians;
}

function foregroundMask(image: RawImage, background: number[]): Uint8Array {
  const { width, height, channels, data } = image;
  const mask = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    let distance = 0;
    for (let c = 0; c < channels; c++) distance += Math.abs(data[p * channels + c]! - background[c]!);
    mask[p] = distance > 60 * (channels / 3) ? 1 : 0;
  }
  return mask;
}

/** The largest 4-connected region of the mask: its size and the leftmost and rightmost pixel of each of its rows. */
function largestRegion(mask: Uint8Array, width: number, height: number): { area: number; extremes: Point[] } | undefined {
  const label = new Int32Array(width * height);
  let best: { area: number; id: number } | undefined;
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    next += 1;
    let area = 0;
    stack.push(start);
    label[start] = next;
    while (stack.length) {
      const p = stack.pop()!;
      area += 1;
      const x = p % width;
      const neighbours = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width];
      for (const q of neighbours) {
        if (q < 0 || q >= mask.length || !mask[q] || label[q]) continue;
        label[q] = next;
        stack.push(q);
      }
    }
    if (!best || area > best.area) best = { area, id: next };
  }
  if (!best) return undefined;
  const extremes: Point[] = [];
  for (let y = 0; y < height; y++) {
    let left = -1;
    let right = -1;
    for (let x = 0; x < width; x++) {
      if (label[y * width + x] !== best.id) continue;
      if (left < 0) left = x;
      right = x;
    }
    if (left >= 0) extremes.push({ x: left, y }, { x: right + 1, y }, { x: left, y: y + 1 }, { x: right + 1, y: y + 1 });
  }
  return { area: best.area, extremes };
}

/** Andrew's monotone chain: the convex hull, counter-clockwise in image coordinates' terms. */
export function convexHull(points: Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (list: Point[]) => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** Drops the hull's vertices one by one, each time the one whose loss changes the area least, until four are left. */
function simplifyToQuad(hull: Point[]): Point[] {
  const points = [...hull];
  const triangle = (a: Point, b: Point, c: Point) => Math.abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / 2;
  while (points.length > 4) {
    let weakest = 0;
    let least = Infinity;
    for (let i = 0; i < points.length; i++) {
      const loss = triangle(points[(i - 1 + points.length) % points.length]!, points[i]!, points[(i + 1) % points.length]!);
      if (loss < least) {
        least = loss;
        weakest = i;
      }
    }
    points.splice(weakest, 1);
  }
  return points;
}

export function polygonArea(points: Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const b = points[(i + 1) % points.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}

/**
 * Clockwise on screen from the corner nearest the top-left, then turned so that the first side
 * (top) is a long one: a card photographed upright or upside down reads left to right; which of
 * the two it is, the OCR tells.
 */
function orderCorners(quad: Point[]): Point[] {
  const cx = quad.reduce((s, p) => s + p.x, 0) / quad.length;
  const cy = quad.reduce((s, p) => s + p.y, 0) / quad.length;
  // Screen coordinates (y down): increasing atan2 goes clockwise on screen.
  const clockwise = [...quad].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  let first = 0;
  clockwise.forEach((p, i) => {
    if (p.x + p.y < clockwise[first]!.x + clockwise[first]!.y) first = i;
  });
  let ordered = [...clockwise.slice(first), ...clockwise.slice(0, first)];
  const side = (i: number) => Math.hypot(ordered[(i + 1) % 4]!.x - ordered[i]!.x, ordered[(i + 1) % 4]!.y - ordered[i]!.y);
  if (side(0) + side(2) < side(1) + side(3)) ordered = [...ordered.slice(3), ...ordered.slice(0, 3)];
  return ordered;
}

/** Long side over short side, each the mean of its two opposite edges. */
export function sideRatio(corners: Point[]): number {
  const side = (i: number) => Math.hypot(corners[(i + 1) % 4]!.x - corners[i]!.x, corners[(i + 1) % 4]!.y - corners[i]!.y);
  return (side(0) + side(2)) / (side(1) + side(3));
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
