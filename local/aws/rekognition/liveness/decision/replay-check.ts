/**
 * Has this video been seen before? A recording of an earlier session, sent again (as bytes, or
 * played into a virtual camera and encoded anew), shows the same frames in the same order. Each
 * decided session keeps a fingerprint: a 64-bit difference hash of every sampled frame (robust to
 * re-encoding, noise and small shifts). A new video whose frames match an earlier session's, one
 * for one over most of their length at some time offset, is that recording again. A person doing
 * the check twice does not match: they start elsewhere, move on another path, into another oval.
 *
 * This catches replays of what this service has received (kept as long as the sessions are, a
 * day); a recording made elsewhere is left to the oval, the colours and the other checks.
 */
import type { Observation } from './observations.ts';

/** A session's frames, hashed (hex, 16 characters each), and how far apart they are. */
export interface Fingerprint {
  frameMs: number;
  hashes: string[];
}

/** Two frames are the same picture at this Hamming distance or less (of 64 bits). */
const SAME_FRAME_BITS = 10;
/** A recording matches when this share of its frames matches, at the best offset. */
const SAME_RECORDING_SHARE = 0.8;
/** ... over at least this many frames. */
const MIN_OVERLAP = 10;
/** Offsets tried, in frames each way: a replay may start a little earlier or later. */
const MAX_OFFSET = 8;

/** The fingerprint of a video's observations. */
export function fingerprintOf(observations: Observation[]): Fingerprint {
  const frameMs = observations.length > 1 ? observations[1].frame.timeMs - observations[0].frame.timeMs : 0;
  return { frameMs, hashes: observations.map((o) => differenceHash(o.grey)) };
}

/** The earlier session this video replays, if any. */
export function findReplay(fingerprint: Fingerprint, earlier: { sessionId: string; fingerprint: Fingerprint }[]): { sessionId: string; share: number } | undefined {
  const mine = fingerprint.hashes.map(toBits);
  let best: { sessionId: string; share: number } | undefined;
  for (const candidate of earlier) {
    if (Math.abs(candidate.fingerprint.frameMs - fingerprint.frameMs) > 1) continue;
    const theirs = candidate.fingerprint.hashes.map(toBits);
    for (let offset = -MAX_OFFSET; offset <= MAX_OFFSET; offset++) {
      let same = 0;
      let overlap = 0;
      for (let i = 0; i < mine.length; i++) {
        const j = i + offset;
        if (j < 0 || j >= theirs.length) continue;
        overlap++;
        if (hamming(mine[i], theirs[j]) <= SAME_FRAME_BITS) same++;
      }
      if (overlap < MIN_OVERLAP) continue;
      const share = same / overlap;
      if (share >= SAME_RECORDING_SHARE && (!best || share > best.share)) best = { sessionId: candidate.sessionId, share };
    }
  }
  return best;
}

/** dHash: the frame shrunk to 9 x 8, one bit per horizontal neighbour pair (left brighter than right). */
function differenceHash(grey: Observation['grey']): string {
  const cells = new Float64Array(9 * 8);
  const counts = new Uint32Array(9 * 8);
  for (let y = 0; y < grey.height; y++) {
    const cy = Math.min(7, Math.floor((y * 8) / grey.height));
    for (let x = 0; x < grey.width; x++) {
      const c = cy * 9 + Math.min(8, Math.floor((x * 9) / grey.width));
      cells[c] += grey.data[y * grey.width + x];
      counts[c]++;
    }
  }
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) {
      const left = cells[row * 9 + col] / counts[row * 9 + col];
      const right = cells[row * 9 + col + 1] / counts[row * 9 + col + 1];
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

function toBits(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

function hamming(a: bigint, b: bigint): number {
  let x = a ^ b;
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}
