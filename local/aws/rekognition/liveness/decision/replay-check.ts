/**
 * Has this video been seen before? A recording of an earlier session, sent again (as bytes, or
 * played into a virtual camera and encoded anew), shows the same pictures with the face on the same
 * path at the same moments. A person doing the check again never does: even in the same room, in
 * an oval at the same place, they start elsewhere and move otherwise.
 *
 * Each decided session keeps a fingerprint: per sampled frame, a 64-bit difference hash of the
 * picture (robust to re-encoding and sensor noise) and where the face was (centre and width, in
 * frame widths). A new video is a replay of an earlier one when, at some time offset (any: a
 * looped recording may start anywhere in it), its frames match that session's frames, picture and
 * face both, in every third of their overlap: the start, the move and the hold. The hold alone is not enough (two honest checks into one oval look
 * alike once the face is there), and neither is the picture alone (a face filling the same oval
 * dominates a coarse hash).
 *
 * Measured on generated clips of 6 people of the tuning half (light challenge; each person's
 * genuine clip against its replay through a virtual camera, and against two further genuine clips
 * from the same photo, one into another oval and one into the same oval): in the worst third,
 * replays matched 93-100 % of their frames, genuine retakes at most 7 % (0 % in the other oval).
 * Through Chromium's fake camera and MediaRecorder (320 x 240 VP8, 3 browser runs of 2026-12-08,
 * 3 replays against 64 pairs of other sessions): a replayed frame's hash was 1-14 bits from the
 * original's and its face up to 0.12 of a face width off (the detector on a small, re-encoded,
 * moving face); at 10 bits and 3 % the worst third of one replay matched only 69 % of its frames
 * (a run of 2026-12-07, every offset tried, scored its replay as none), at 14 bits and 6 % 81-100 %; the other pairs
 * matched 0 % at both. The place is what tells two checks apart; the picture only confirms it.
 *
 * This catches replays of what this service has received (kept as long as the sessions are, a
 * day); a recording made elsewhere is left to the oval, the colours and the other checks.
 */
import type { Observation } from './observations.ts';

/** One sampled frame's fingerprint: the picture's hash (hex, 16 characters) and the face's place. */
export interface FrameFingerprint {
  hash: string;
  /** Centre x, centre y and width of the largest face, in frame widths; absent when none was found. */
  face?: [number, number, number];
}

/** A session's frames, fingerprinted, and how far apart they are. */
export interface Fingerprint {
  frameMs: number;
  frames: FrameFingerprint[];
}

/** Two frames show the same picture at this Hamming distance or less (of 64 bits). */
const SAME_PICTURE_BITS = 14;
/** The face is in the same place when its centre and width agree within this share of its width. */
const SAME_PLACE = 0.06;
/** A recording matches when, in each third of the overlap, this share of its frames matches. */
const SAME_RECORDING_SHARE = 0.6;
/** ... over at least this many frames. */
const MIN_OVERLAP = 9;

/** The fingerprint of a video's observations. */
export function fingerprintOf(observations: Observation[]): Fingerprint {
  const frameMs = observations.length > 1 ? observations[1].frame.timeMs - observations[0].frame.timeMs : 0;
  return {
    frameMs,
    frames: observations.map((o) => {
      const box = o.faces[0]?.box;
      const width = o.frame.width;
      return { hash: differenceHash(o.grey), ...(box ? { face: [(box.x + box.width / 2) / width, (box.y + box.height / 2) / width, box.width / width] as [number, number, number] } : {}) };
    }),
  };
}

/** The earlier session this video replays, if any, with the share of frames that matched in its worst third. */
export function findReplay(fingerprint: Fingerprint, earlier: { sessionId: string; fingerprint: Fingerprint }[]): { sessionId: string; share: number } | undefined {
  const mine = fingerprint.frames.map(parse);
  let best: { sessionId: string; share: number } | undefined;
  for (const candidate of earlier) {
    if (!Array.isArray(candidate.fingerprint.frames) || Math.abs(candidate.fingerprint.frameMs - fingerprint.frameMs) > 1) continue;
    const theirs = candidate.fingerprint.frames.map(parse);
    // Every alignment: a recording played into a camera loops, so the new video may start anywhere
    // in it (its end, then its beginning again). An overlap always begins at the start of one of
    // the two videos, so two honest checks never line up hold against hold alone.
    for (let offset = MIN_OVERLAP - mine.length; offset <= theirs.length - MIN_OVERLAP; offset++) {
      const matches: boolean[] = [];
      for (let i = 0; i < mine.length; i++) {
        const j = i + offset;
        if (j >= 0 && j < theirs.length) matches.push(sameFrame(mine[i], theirs, j));
      }
      if (matches.length < MIN_OVERLAP) continue;
      const share = Math.min(...[0, 1, 2].map((k) => shareOf(matches.slice(Math.floor((k * matches.length) / 3), Math.floor(((k + 1) * matches.length) / 3)))));
      if (share >= SAME_RECORDING_SHARE && (!best || share > best.share)) best = { sessionId: candidate.sessionId, share };
    }
  }
  return best;
}

interface ParsedFrame {
  bits: bigint;
  face?: [number, number, number];
}

function parse(frame: FrameFingerprint): ParsedFrame {
  return { bits: BigInt(`0x${frame.hash}`), face: frame.face };
}

/**
 * Does my frame show what their frame `j` shows? The picture within a few bits of `j`'s or a
 * neighbour's, and the face on their path near `j` (the segments to the neighbours, since a
 * virtual camera samples the recording at another phase, up to half a frame apart).
 */
function sameFrame(mine: ParsedFrame, theirs: ParsedFrame[], j: number): boolean {
  const around = [theirs[j - 1], theirs[j], theirs[j + 1]].filter((f): f is ParsedFrame => f !== undefined);
  if (!around.some((f) => hamming(mine.bits, f.bits) <= SAME_PICTURE_BITS)) return false;
  const here = theirs[j].face;
  if (!mine.face || !here) return !mine.face && !here;
  const path = around.map((f) => f.face).filter((f): f is [number, number, number] => f !== undefined);
  return path.some((a, k) => {
    const b = path[k + 1] ?? a;
    return distanceToSegment(mine.face!, a, b) <= SAME_PLACE * here[2];
  });
}

/** How far face `p` (centre and width) is from the segment between faces `a` and `b`, in frame widths. */
function distanceToSegment(p: [number, number, number], a: [number, number, number], b: [number, number, number]): number {
  const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const length = d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
  const t = length === 0 ? 0 : Math.min(1, Math.max(0, ((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1] + (p[2] - a[2]) * d[2]) / length));
  return Math.hypot(p[0] - a[0] - t * d[0], p[1] - a[1] - t * d[1], p[2] - a[2] - t * d[2]);
}

function shareOf(matches: boolean[]): number {
  return matches.length === 0 ? 0 : matches.filter(Boolean).length / matches.length;
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

function hamming(a: bigint, b: bigint): number {
  let x = a ^ b;
  let count = 0;
  while (x) {
    x &= x - 1n;
    count++;
  }
  return count;
}
