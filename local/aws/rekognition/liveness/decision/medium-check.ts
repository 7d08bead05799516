/**
 * Is the face on something held up (a card, a print, a screen)? A presentation medium carries its
 * surroundings with it: the card's edges, text and background move exactly as the face moves,
 * while around a real head the room stays still. This is the classic face-background motion cue
 * of print-attack detection (Anjos and Marcel, IJCB 2011), done with block matching: over the
 * frames where the face moves, each textured block of the head's surroundings (beside it beyond
 * the ears, above it beyond the hair; hair and shoulders do move with a head) is looked for where
 * it would be had it stayed still and where it would be had it moved with the face, and votes for
 * the better match. A phone held in the hand moves the room too, but with parallax, not as one
 * rigid picture with the face; a camera on a laptop or a desk keeps the room still.
 */
import type { Observation } from './observations.ts';
import { THUMBNAIL_FACTOR } from './observations.ts';

/** The medium check's verdict. */
export interface MediumFinding {
  /** 1: the surroundings stayed still as the face moved (a real head); 0: they moved with it. */
  score: number;
  /** The share of the voting blocks that moved with the face, 0-1. */
  followShare: number;
  /** Blocks that voted, over the frame pairs in which the face moved enough to tell. */
  votes: number;
  reasons: string[];
}

/**
 * This share of the surroundings (or more) moving with the face is a presentation medium; this
 * little (or less) a real head's. Around a head almost nothing follows it (a few blocks of hair or
 * a mismatch); a card or a print held up to fit the oval fills much of the frame, though some of
 * the room may still show beside it.
 */
const MEDIUM_SHARE = 0.25;
const HEAD_SHARE = 0.12;
/** Fewer votes than this say nothing (a plain wall, a face that hardly moved). */
const MIN_VOTES = 12;
/** Block side, thumbnail pixels. */
const BLOCK = 8;
/**
 * Only frame pairs where the face itself moved this share of its width, or changed size this
 * much, are looked at: below that the face's move is within what detection jitters by.
 */
const MIN_FACE_SHIFT = 0.05;
const MIN_FACE_SCALE = 0.05;
/** A block votes only where "still" and "moved with the face" are this many pixels apart. */
const MIN_DISPLACEMENT = 5;
/** Search radius around each hypothesis: detections and scale estimates are a few pixels off. */
const RADIUS_STILL = 1;
const RADIUS_FOLLOW = 3;
/** A block is textured when its mean absolute gradient is at least this (grey levels). */
const MIN_TEXTURE = 4;
/** One hypothesis must match this much better than the other for a vote. */
const MARGIN = 0.75;

/** Counts, over consecutive frames, the surrounding blocks that stayed still against those that moved with the face. */
export function checkMedium(observations: Observation[]): MediumFinding {
  let follow = 0;
  let still = 0;
  const withFace = observations.filter((o) => o.faces[0]);
  for (let i = 1; i < withFace.length; i++) {
    const votes = vote(withFace[i - 1], withFace[i]);
    follow += votes.follow;
    still += votes.still;
  }
  const total = follow + still;
  if (total < MIN_VOTES) return { score: 1, followShare: 0, votes: total, reasons: [] };
  const followShare = follow / total;
  const score = Math.min(1, Math.max(0, (MEDIUM_SHARE - followShare) / (MEDIUM_SHARE - HEAD_SHARE)));
  return { score, followShare, votes: total, reasons: score < 0.5 ? ['what surrounds the face moves with it, as a card, a photo or a screen held up does'] : [] };
}

/** The votes of the surrounding blocks between frames `a` and `b`. */
function vote(a: Observation, b: Observation): { follow: number; still: number } {
  const k = 1 / THUMBNAIL_FACTOR;
  const [fa, fb] = [a.faces[0].box, b.faces[0].box];
  const ca = { x: (fa.x + fa.width / 2) * k, y: (fa.y + fa.height / 2) * k };
  const cb = { x: (fb.x + fb.width / 2) * k, y: (fb.y + fb.height / 2) * k };
  // Width and height each jitter by a few per cent from one detection to the next; their mean less.
  const scale = (fb.width / fa.width + fb.height / fa.height) / 2;
  if (Math.hypot(cb.x - ca.x, cb.y - ca.y) < MIN_FACE_SHIFT * fa.width * k && Math.abs(scale - 1) < MIN_FACE_SCALE) return { follow: 0, still: 0 };
  const hx = (fa.width * k) / 2;
  const hy = (fa.height * k) / 2;
  const { grey: A } = a;
  const { grey: B } = b;
  let follow = 0;
  let still = 0;
  for (let by = 0; by + BLOCK <= A.height; by += BLOCK) {
    for (let bx = 0; bx + BLOCK <= A.width; bx += BLOCK) {
      const dx = (bx + BLOCK / 2 - ca.x) / hx;
      const dy = (by + BLOCK / 2 - ca.y) / hy;
      const beside = Math.abs(dx) >= 1.7 && Math.abs(dx) <= 3.5 && Math.abs(dy) <= 1.3;
      // Above starts 1.3 face heights over the face's centre: a head of hair reaches 1.0-1.2 (a
      // genuine clip of photos/kit_1.jpg, tuning half, scored 0.48 with the region starting at 1.0).
      const above = dy <= -2.6 && dy >= -3.6 && Math.abs(dx) <= 1.5;
      if (!beside && !above) continue;
      // Where the block would be in B had it moved with the face.
      const ux = cb.x + (bx - ca.x) * scale - bx;
      const uy = cb.y + (by - ca.y) * scale - by;
      if (Math.hypot(ux, uy) < MIN_DISPLACEMENT || texture(A, bx, by) < MIN_TEXTURE) continue;
      const sadStill = bestSad(A, B, bx, by, 0, 0, RADIUS_STILL);
      const sadFollow = bestSad(A, B, bx, by, Math.round(ux), Math.round(uy), RADIUS_FOLLOW);
      if (!Number.isFinite(sadStill) || !Number.isFinite(sadFollow)) continue;
      if (sadFollow < MARGIN * sadStill) follow++;
      else if (sadStill < MARGIN * sadFollow) still++;
    }
  }
  return { follow, still };
}

/** The smallest sum of absolute differences of A's block at (bx, by) against B's within `radius` of (ox, oy). */
function bestSad(A: Observation['grey'], B: Observation['grey'], bx: number, by: number, ox: number, oy: number, radius: number): number {
  let best = Infinity;
  for (let sy = oy - radius; sy <= oy + radius; sy++) {
    for (let sx = ox - radius; sx <= ox + radius; sx++) {
      const x0 = bx + sx;
      const y0 = by + sy;
      if (x0 < 0 || y0 < 0 || x0 + BLOCK > B.width || y0 + BLOCK > B.height) continue;
      let sad = 0;
      for (let y = 0; y < BLOCK && sad < best; y++) {
        const ia = (by + y) * A.width + bx;
        const ib = (y0 + y) * B.width + x0;
        for (let x = 0; x < BLOCK; x++) sad += Math.abs(A.data[ia + x] - B.data[ib + x]);
      }
      if (sad < best) best = sad;
    }
  }
  return best;
}

/** Mean absolute horizontal and vertical gradient of a block. */
function texture(img: Observation['grey'], bx: number, by: number): number {
  let sum = 0;
  for (let y = 0; y < BLOCK - 1; y++) {
    for (let x = 0; x < BLOCK - 1; x++) {
      const i = (by + y) * img.width + bx + x;
      sum += Math.abs(img.data[i + 1] - img.data[i]) + Math.abs(img.data[i + img.width] - img.data[i]);
    }
  }
  return sum / ((BLOCK - 1) * (BLOCK - 1));
}
