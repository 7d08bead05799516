/**
 * Was the challenge followed? The client says where the face started, when it reached the oval
 * and which oval that was; the frames say where the face really was. A client can lie, so every
 * claim is held against the frames: the face starts where the client says and not already in
 * this session's oval, moves without jumps (no cut or spliced video), reaches this session's oval
 * about when the client says, and stays there. A recording made for another session ends in
 * another oval, and fails here unless the two ovals happen to overlap as much as a fit needs.
 */
import { CHALLENGE_CONFIG, type SessionChallenge } from '../challenge.ts';
import { area, center, iou, ovalRect, type Rect } from '../geometry.ts';
import type { Observation } from './observations.ts';

/** What the client reported in its ClientSessionInformationEvents, in pixels and epoch ms. */
export interface ClientReport {
  challengeId?: string;
  videoStart?: number;
  videoEnd?: number;
  initialFace?: { box: Rect; at: number };
  targetFace?: { box: Rect; start: number; end: number };
  colors: { sequenceNumber: number; current: number[]; previous?: number[]; start: number }[];
}

/** The challenge check's verdict: a score in [0, 1] (0 when a rule is broken) and why. */
export interface ChallengeFinding {
  score: number;
  reasons: string[];
  /** Figures, for the session file. */
  measured: Record<string, number | string>;
}

/**
 * A fit as good as the one Amplify's component calls a match (its face box against the oval, IoU
 * over ChallengeConfig.OvalIouThreshold: getFaceMatchStateInLivenessOval in
 * @aws-amplify/ui-react-liveness) scores 1: a person the component let through has followed the
 * challenge. (At 0.7, genuine clips the component would have accepted, held at IoU 0.61, scored
 * 0.54: report half, photos/biden.)
 */
const GOOD_FIT_IOU = CHALLENGE_CONFIG.OvalIouThreshold;
/** The face box must match the oval at least this well (IoU) to count as in it: the good fit, less what two face detectors disagree by. */
export const FIT_IOU = GOOD_FIT_IOU - 0.1;
/** The client's box for a face agrees with the frames at this IoU. */
const CLAIM_IOU = 0.45;
/** A head moves at most this many frame widths a second (faster is a cut in the video). */
const MAX_SPEED = 1.3;
/** Clock and recorder slack between the client's timestamps and the video. */
const SLACK_MS = 1500;

/** Checks the challenge against the observations (largest face per frame). */
export function checkChallenge(observations: Observation[], challenge: SessionChallenge, report: ClientReport, durationMs: number): ChallengeFinding {
  const oval = ovalRect(challenge.OvalParameters);
  const reasons: string[] = [];
  const measured: ChallengeFinding['measured'] = {};
  const fail = (reason: string): ChallengeFinding => ({ score: 0, reasons: [...reasons, reason], measured });

  const { videoStart, videoEnd, initialFace, targetFace } = report;
  if (videoStart === undefined || initialFace === undefined) return fail('the client never reported the start of the challenge (VideoStartTimestamp, InitialFace)');
  if (videoEnd === undefined || targetFace === undefined) return fail('the client never reported the end of the challenge (TargetFace, VideoEndTimestamp)');
  const inVideo = (epochMs: number) => epochMs - videoStart;
  measured.reportedDurationMs = videoEnd - videoStart;
  measured.decodedDurationMs = Math.round(durationMs);
  if (!(videoStart <= initialFace.at + SLACK_MS && initialFace.at <= targetFace.start + SLACK_MS && targetFace.start <= targetFace.end && targetFace.end <= videoEnd + SLACK_MS)) {
    return fail('the reported timestamps are out of order');
  }
  if (Math.abs(videoEnd - videoStart - durationMs) > Math.max(SLACK_MS, 0.25 * durationMs)) {
    return fail(`the video lasts ${Math.round(durationMs)} ms but the client reported ${videoEnd - videoStart} ms`);
  }

  const targetClaim = iou(targetFace.box, oval);
  measured.reportedTargetVsOval = round(targetClaim);
  if (targetClaim < 0.9) return fail("the reported target is not this session's oval");

  const withFace = observations.filter((o) => o.faceBox);
  if (withFace.length < 3) return fail('too few frames show a face');

  // Where the face started: the frames around the moment the client says it saw it.
  const initialAt = inVideo(initialFace.at);
  const early = withFace.filter((o) => Math.abs(o.frame.timeMs - initialAt) <= 500);
  const initial = medianBox((early.length ? early : withFace.slice(0, 2)).map((o) => o.faceBox!));
  measured.initialClaimVsFrames = round(iou(initialFace.box, initial));
  measured.initialVsOval = round(iou(initial, oval));
  if (iou(initialFace.box, initial) < CLAIM_IOU) return fail('the reported initial face is not where the video shows it');
  if (iou(initial, oval) >= FIT_IOU || area(initial) > 0.9 * area(oval)) return fail('the face was already in the oval when the challenge started: it did not move into it');

  // No jumps: a face that moves as a head does, frame after frame.
  for (let i = 1; i < withFace.length; i++) {
    const [a, b] = [withFace[i - 1], withFace[i]];
    const allowed = Math.max(0.1, (MAX_SPEED * (b.frame.timeMs - a.frame.timeMs)) / 1000);
    const jump = Math.hypot(center(a.faceBox!).x - center(b.faceBox!).x, center(a.faceBox!).y - center(b.faceBox!).y) / challenge.VideoWidth;
    if (jump > allowed) return fail(`the face jumped ${Math.round(jump * 100)} % of the frame between ${Math.round(a.frame.timeMs)} and ${Math.round(b.frame.timeMs)} ms (a cut in the video)`);
  }

  // Into this session's oval, about when the client says, and staying there.
  const targetAt = inVideo(targetFace.start);
  const fits = withFace.map((o) => ({ t: o.frame.timeMs, fit: iou(o.faceBox!, oval) }));
  const firstFit = fits.find((f) => f.fit >= FIT_IOU);
  measured.bestFit = round(Math.max(...fits.map((f) => f.fit)));
  if (!firstFit) return fail(`the face never fitted this session's oval (best IoU ${measured.bestFit})`);
  measured.firstFitMs = Math.round(firstFit.t);
  measured.reportedTargetMs = Math.round(targetAt);
  if (firstFit.t > targetAt + 800 || firstFit.t < targetAt - SLACK_MS - 1000) {
    return fail(`the face reached the oval at ${Math.round(firstFit.t)} ms, not at ${Math.round(targetAt)} ms as the client reported`);
  }
  const after = fits.filter((f) => f.t >= firstFit.t);
  const held = after.filter((f) => f.fit >= FIT_IOU).length / after.length;
  const holdFit = median(after.map((f) => f.fit));
  measured.heldShare = round(held);
  measured.holdFit = round(holdFit);
  if (held < 0.6) return fail('the face left the oval after reaching it');
  if (withFace.length < 0.7 * observations.length) reasons.push('the face was out of view in some frames');
  return { score: clamp((holdFit - FIT_IOU) / (GOOD_FIT_IOU - FIT_IOU), 0, 1), reasons, measured };
}

function medianBox(boxes: Rect[]): Rect {
  return { left: median(boxes.map((b) => b.left)), top: median(boxes.map((b) => b.top)), right: median(boxes.map((b) => b.right)), bottom: median(boxes.map((b) => b.bottom)) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
