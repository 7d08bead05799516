/**
 * The decision on one session's video: the checks, each a score in [0, 1], and a confidence of
 * 0-100 as Rekognition's, which is the weakest check's score (a live person passes every one; an
 * attack needs to fail only one). Also picks the reference image (a sharp, frontal frame with the
 * face in the oval) and the audit images.
 *
 * | check     | what it looks at                                                                 |
 * |-----------|----------------------------------------------------------------------------------|
 * | presence  | a face in nearly every frame                                                     |
 * | oneFace   | never a second face                                                              |
 * | identity  | the same person from the first frame to the last (face descriptors)              |
 * | challenge | the face started where the client said and moved into this session's oval        |
 * | medium    | the head's surroundings stayed still as it moved (no card, print or screen)      |
 * | light     | (light challenge) the face reflected this session's colours                      |
 * | replay    | the frames are not those of a session this service already received              |
 * | passive   | Human's antispoof and liveness scores: measured, reported, not weighed (see README) |
 */
import type { FrameAnalyzer } from '../../../../faces/types.ts';
import type { SessionChallenge } from '../challenge.ts';
import { iou, ovalRect } from '../geometry.ts';
import { checkChallenge, FIT_IOU, median, type ClientReport } from './challenge-check.ts';
import { checkLight } from './light-check.ts';
import { checkMedium } from './medium-check.ts';
import type { Observation, Observations } from './observations.ts';
import { findReplay, fingerprintOf, type Fingerprint } from './replay-check.ts';

/** Rekognition's feedback for a session that SUCCEEDED (codes of the API's FeedbackCode). */
export interface Feedback {
  Code: 'FACE_NOT_ALIGNED' | 'FACE_NOT_VISIBLE' | 'LOW_LIGHTING_DETECTED' | 'HIGH_LIGHTING_DETECTED' | 'LOW_VIDEO_QUALITY_DETECTED';
  Message: string;
}

/** The decision, or why the video could not be judged (the session then FAILED). */
export type Decision =
  | {
      ok: true;
      confidence: number;
      feedback: Feedback[];
      /** The frame for the reference image, and the frames for audit images (in time order). */
      reference?: Observation;
      audit: Observation[];
      checks: Record<string, unknown>;
      /** Kept with the session, so a replay of this video is recognised later. */
      fingerprint: Fingerprint;
    }
  | { ok: false; reason: string };

/** Frames with a face must be at least this share of the frames; below, the video cannot be judged. */
const MIN_FACE_SHARE = 0.3;
/** Same person: the least similar pair of sampled frames reaches this (Rekognition's 0-100 scale). */
const SAME_PERSON = 75;
const SURE_SAME_PERSON = 90;
/** A second face counts when it is this large next to the main face and is seen in this share of frames. */
const SECOND_FACE_SIZE = 0.25;
const SECOND_FACE_SHARE = 0.15;

/** Decides on a session's video from its observations and the client's report. */
export async function decide(input: {
  observations: Observations;
  analyzer: FrameAnalyzer;
  challenge: SessionChallenge;
  report: ClientReport;
  durationMs: number;
  auditImagesLimit: number;
  /** Fingerprints of the sessions decided before (within their retention). */
  earlier: { sessionId: string; fingerprint: Fingerprint }[];
}): Promise<Decision> {
  const { challenge, report, analyzer } = input;
  const all = await input.observations.settled();
  if (all.length === 0) return { ok: false, reason: 'the video has no frames' };
  const withFace = all.filter((o) => o.faces.length > 0);
  const faceShare = withFace.length / all.length;
  if (faceShare < MIN_FACE_SHARE) return { ok: false, reason: `no face in ${all.length - withFace.length} of ${all.length} frames` };

  const seconds = all.filter((o) => o.faces.length > 1 && o.faces[1].box.width >= SECOND_FACE_SIZE * o.faces[0].box.width).length / all.length;
  const oval = ovalRect(challenge.OvalParameters);
  const inOval = withFace.filter((o) => o.faceBox && iou(o.faceBox, oval) >= FIT_IOU);

  // Descriptors and passive scores on a few frames only: the first with a face, one near the
  // middle, and the two best placed in the oval (the reference image is one of these). Those
  // described while the video arrived are taken where they serve, so little is left to do now.
  const early = withFace.filter((o) => o.describing);
  const middle = withFace[withFace.length >> 1];
  const nearMiddle = early.length ? early.reduce((a, b) => (Math.abs(b.frame.timeMs - middle.frame.timeMs) < Math.abs(a.frame.timeMs - middle.frame.timeMs) ? b : a)) : middle;
  const chosen = uniqueFrames([withFace[0], nearMiddle, ...bestInOval(inOval, oval, 2)]);
  await input.observations.describe(chosen);
  const descriptors = chosen.map((o) => o.described?.faces[0]?.descriptor).filter((d): d is Float32Array => d !== undefined);
  let leastSimilar = 100;
  for (let i = 0; i < descriptors.length; i++) for (let j = i + 1; j < descriptors.length; j++) leastSimilar = Math.min(leastSimilar, analyzer.similarity(descriptors[i], descriptors[j]));

  const challengeFinding = checkChallenge(all, challenge, report, input.durationMs);
  const medium = checkMedium(all);
  const light = challenge.Type === 'FaceMovementAndLightChallenge' && challenge.ColorSequences ? checkLight(all, challenge.ColorSequences, report) : undefined;
  const passive = chosen.map((o) => o.described?.faces[0]?.passive).filter((p) => p !== undefined);
  const fingerprint = fingerprintOf(all);
  const replay = findReplay(fingerprint, input.earlier);

  const scores: Record<string, number> = {
    presence: clamp((faceShare - 0.5) / 0.4),
    oneFace: seconds > SECOND_FACE_SHARE ? 0 : 1,
    identity: descriptors.length < 2 ? 0 : clamp((leastSimilar - SAME_PERSON) / (SURE_SAME_PERSON - SAME_PERSON)),
    challenge: challengeFinding.score,
    medium: medium.score,
    ...(light ? { light: light.score } : {}),
    replay: replay ? 0 : 1,
  };
  const confidence = Math.round(100 * Math.min(...Object.values(scores)) * 1000) / 1000;

  const reference = pickReference(chosen.filter((o) => inOval.includes(o)));
  const audit = pickAudit(withFace, reference, input.auditImagesLimit);
  const quality = reference?.described?.faces[0]?.quality;
  const feedback: Feedback[] = [];
  if (scores.challenge < 0.5) feedback.push({ Code: 'FACE_NOT_ALIGNED', Message: 'Move your face into the oval and hold it there until the check ends.' });
  if (scores.presence < 0.5) feedback.push({ Code: 'FACE_NOT_VISIBLE', Message: 'Keep your whole face in view of the camera.' });
  if (quality && quality.brightness < 25) feedback.push({ Code: 'LOW_LIGHTING_DETECTED', Message: 'Find a brighter place, with light in front of you.' });
  if (quality && quality.brightness > 90) feedback.push({ Code: 'HIGH_LIGHTING_DETECTED', Message: 'Move away from strong light behind or beside you.' });
  if (quality && quality.sharpness < 10) feedback.push({ Code: 'LOW_VIDEO_QUALITY_DETECTED', Message: 'Clean the camera and hold still so the picture is sharp.' });

  return {
    ok: true,
    confidence,
    feedback,
    reference,
    audit,
    fingerprint,
    checks: {
      scores,
      frames: all.length,
      framesWithFace: withFace.length,
      secondFaceShare: round(seconds),
      leastSimilarFrames: round(leastSimilar),
      challenge: challengeFinding,
      medium: { followShare: round(medium.followShare), votes: medium.votes, reasons: medium.reasons },
      ...(light ? { light: { correlation: round(light.correlation), frames: light.frames, reasons: light.reasons } } : {}),
      ...(replay ? { replay: { of: replay.sessionId, share: round(replay.share), reasons: [`the video is a recording of session ${replay.sessionId}, sent again`] } } : {}),
      passive: {
        weight: 0,
        why: 'measured on genuine and attack frames, these scores do not separate them (see local/aws/rekognition/README.md)',
        antispoof: passive.map((p) => round(p!.antispoof)),
        liveness: passive.map((p) => round(p!.liveness)),
      },
    },
  };
}

function bestInOval(inOval: Observation[], oval: ReturnType<typeof ovalRect>, count: number): Observation[] {
  return [...inOval].sort((a, b) => iou(b.faceBox!, oval) - iou(a.faceBox!, oval)).slice(0, count);
}

/** The sharpest, most frontal of the described frames with the face in the oval. */
function pickReference(candidates: Observation[]): Observation | undefined {
  let best: Observation | undefined;
  let bestScore = -Infinity;
  for (const o of candidates) {
    const face = o.described?.faces[0];
    if (!face?.quality) continue;
    const frontal = 1 - Math.min(1, (Math.abs(face.pose.yaw) + Math.abs(face.pose.pitch)) / 60);
    const score = face.quality.sharpness * frontal;
    if (score > bestScore) [best, bestScore] = [o, score];
  }
  return best;
}

/** Up to `limit` frames spread over the video, the reference frame left out. */
function pickAudit(withFace: Observation[], reference: Observation | undefined, limit: number): Observation[] {
  const pool = withFace.filter((o) => o !== reference);
  if (limit <= 0 || pool.length === 0) return [];
  const count = Math.min(limit, pool.length);
  return Array.from({ length: count }, (_, i) => pool[Math.round(((i + 0.5) * pool.length) / count - 0.5)]);
}

function uniqueFrames(list: (Observation | undefined)[]): Observation[] {
  return [...new Set(list.filter((o): o is Observation => o !== undefined))];
}

function clamp(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

