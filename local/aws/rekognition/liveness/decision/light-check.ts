/**
 * The light challenge: the screen flashed this session's colours, in this session's order, and a
 * face in front of it reflects them. The client says when each colour started; the session file
 * says which colours they were. The face's colour, frame by frame, must follow the light the
 * screen gave off at that moment. A recording made for another session carries that session's
 * colours, which do not follow this one's.
 */
import type { ColorSequence } from '../challenge.ts';
import type { ClientReport } from './challenge-check.ts';
import type { Observation } from './observations.ts';

/** The light check's verdict. */
export interface LightFinding {
  score: number;
  /** Mean correlation (over R, G, B) of the face's colour with the screen's light. */
  correlation: number;
  frames: number;
  reasons: string[];
}

/** A correlation this low or lower scores 0; this high or higher scores 1. */
const NO_FOLLOW = 0.2;
const FOLLOWS = 0.5;
/** Timestamps may be this far off the session's durations (tabs, slow machines). */
const TIMING_SLACK_MS = 400;

/** Checks that the face's colour followed this session's colour sequence at the times the client reported. */
export function checkLight(observations: Observation[], sequence: ColorSequence[], report: ClientReport): LightFinding {
  const fail = (reason: string): LightFinding => ({ score: 0, correlation: 0, frames: 0, reasons: [reason] });
  if (report.videoStart === undefined) return fail('the client never reported when the video started');
  const reported = [...report.colors].sort((a, b) => a.sequenceNumber - b.sequenceNumber);
  if (reported.length !== sequence.length || reported.some((c, i) => c.sequenceNumber !== i)) return fail('the client did not report every colour of the sequence');
  for (const [i, color] of reported.entries()) {
    if (color.current.join() !== sequence[i].FreshnessColor.RGB.join()) return fail("the colours the client reported are not this session's");
    if (i > 0) {
      const expected = sequence[i - 1].DownscrollDuration + sequence[i - 1].FlatDisplayDuration;
      const took = color.start - reported[i - 1].start;
      if (Math.abs(took - expected) > TIMING_SLACK_MS) return fail(`colour ${i - 1} was shown for ${took} ms, not ${expected} ms`);
    }
  }

  const starts = reported.map((c) => c.start - report.videoStart!);
  const end = starts.at(-1)! + sequence.at(-1)!.DownscrollDuration + sequence.at(-1)!.FlatDisplayDuration;
  const lightAt = (t: number): number[] | undefined => {
    const i = starts.findLastIndex((s) => s <= t);
    if (i < 0 || t > end) return undefined;
    const c = sequence[i];
    const share = c.DownscrollDuration > 0 ? Math.min(1, Math.max(0, (t - starts[i]) / c.DownscrollDuration)) : 1;
    const previous = sequence[Math.max(0, i - 1)].FreshnessColor.RGB;
    return c.FreshnessColor.RGB.map((v, k) => previous[k] * (1 - share) + v * share);
  };

  const samples: { light: number[]; face: number[] }[] = [];
  for (const o of observations) {
    const light = lightAt(o.frame.timeMs);
    const face = o.faces[0];
    if (!light || !face) continue;
    samples.push({ light, face: faceColor(o, face.box) });
  }
  if (samples.length < 6) return { score: 0, correlation: 0, frames: samples.length, reasons: ['too few frames while the colours were shown'] };
  const correlations = [0, 1, 2].map((k) => pearson(samples.map((s) => s.light[k]), samples.map((s) => s.face[k])));
  const correlation = correlations.reduce((a, b) => a + b, 0) / 3;
  const score = Math.min(1, Math.max(0, (correlation - NO_FOLLOW) / (FOLLOWS - NO_FOLLOW)));
  return { score, correlation, frames: samples.length, reasons: score < 0.5 ? ["the face did not reflect this session's colours"] : [] };
}

/** Mean RGB of the middle of the face (half its width and height), normalised by its brightness. */
function faceColor(o: Observation, box: { x: number; y: number; width: number; height: number }): number[] {
  const { frame } = o;
  const x0 = Math.max(0, Math.round(box.x + box.width / 4));
  const x1 = Math.min(frame.width, Math.round(box.x + (3 * box.width) / 4));
  const y0 = Math.max(0, Math.round(box.y + box.height / 4));
  const y1 = Math.min(frame.height, Math.round(box.y + (3 * box.height) / 4));
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0; x < x1; x += 2) {
      const i = (y * frame.width + x) * 3;
      sum[0] += frame.data[i];
      sum[1] += frame.data[i + 1];
      sum[2] += frame.data[i + 2];
      n++;
    }
  }
  // Chromaticity: a face moving closer or turning changes brightness, not the light's colour.
  const total = sum[0] + sum[1] + sum[2] || 1;
  return sum.map((v) => v / total);
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
