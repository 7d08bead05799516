/**
 * The challenge a Face Liveness session gets when its stream starts: which challenge type (the
 * ones the client supports, in the order the session prefers), and the oval the face must move
 * into, placed and sized at random for this session only, with the client settings Rekognition
 * sends (ChallengeConfig) and, for the light challenge, a random colour sequence.
 *
 * Everything random comes from node:crypto, so one session's oval says nothing of the next one's.
 * The values' ranges follow what Amplify's FaceLivenessDetector draws and checks well: the oval
 * stays inside the video, is as tall as 80-100 % of it (so a face must come close to fill it,
 * after the component made sure it started far enough), and sits up to 15 % of the width off
 * centre (so the face must also move sideways).
 */
import { randomInt } from 'node:crypto';
import { SecureTaskError } from '../../../../lib/errors.ts';

/** The challenge types Rekognition names. */
export type ChallengeType = 'FaceMovementChallenge' | 'FaceMovementAndLightChallenge';

/** The oval, in pixels of the video the client announced (not mirrored). */
export interface OvalParameters {
  Width: number;
  Height: number;
  CenterX: number;
  CenterY: number;
}

/** One colour of the light challenge's sequence (durations in ms). */
export interface ColorSequence {
  FreshnessColor: { RGB: [number, number, number] };
  DownscrollDuration: number;
  FlatDisplayDuration: number;
}

/** What the session's stream is asked to do; kept in the session file (the test hook). */
export interface SessionChallenge {
  Type: ChallengeType;
  Version: string;
  VideoWidth: number;
  VideoHeight: number;
  OvalParameters: OvalParameters;
  ChallengeConfig: typeof CHALLENGE_CONFIG;
  /** Light challenge only. */
  LightChallengeType?: 'SEQUENTIAL';
  ColorSequences?: ColorSequence[];
}

/** A challenge type and version range a session asks for (CreateFaceLivenessSession's ChallengePreferences). */
export interface ChallengePreference {
  Type: string;
  Versions?: { Minimum?: string; Maximum?: string };
}

/** The versions this stand-in serves; Amplify UI v3 asks for FaceMovementAndLightChallenge_2.0.0 and FaceMovementChallenge_1.0.0. */
export const SUPPORTED_CHALLENGES: Record<ChallengeType, string[]> = {
  FaceMovementChallenge: ['1.0.0'],
  FaceMovementAndLightChallenge: ['1.0.0', '2.0.0'],
};

/**
 * The client settings Rekognition sends with every challenge, as the service sends them (values
 * seen in Amplify UI's own end-to-end fixtures): the face-distance check before recording, the
 * IoU the component needs to call the face matched, the oval's aspect ratio, and how long the
 * person has to fit the oval.
 */
export const CHALLENGE_CONFIG = {
  BlazeFaceDetectionThreshold: 0.75,
  FaceDistanceThresholdMin: 0.32,
  FaceDistanceThreshold: 0.32,
  FaceDistanceThresholdMax: 0,
  OvalIouThreshold: 0.55,
  OvalHeightWidthRatio: 1.618,
  OvalIouWidthThreshold: 0.25,
  OvalIouHeightThreshold: 0.25,
  FaceIouWidthThreshold: 0.15,
  FaceIouHeightThreshold: 0.15,
  OvalFitTimeout: 15_000,
};

/** The light challenge's palette: saturated colours a screen can throw on a face. */
const PALETTE: [number, number, number][] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [255, 0, 255],
  [0, 255, 255],
  [255, 255, 255],
];
const COLOR_COUNT = 7;
const DOWNSCROLL_MS = 475;

/** The challenge the client cannot be given: none of the types it supports is allowed for the session. */
export class NoCommonChallengeError extends SecureTaskError {
  override readonly code = 'NO_COMMON_CHALLENGE';
}

/**
 * Picks the challenge type and version for a client that announced `challengeVersions`
 * (`Type_1.2.3,...`): the first of the session's preferences the client supports (in their
 * version range); without preferences, FaceMovementAndLightChallenge, as Rekognition applies it
 * by default (CreateFaceLivenessSession: "if no parameter is provided, then the
 * 'FaceMovementAndLightChallenge' settings is applied by default").
 */
export function chooseChallengeType(challengeVersions: string, preferences: ChallengePreference[] | undefined): { type: ChallengeType; version: string } {
  const offered = challengeVersions.split(',').map((entry) => {
    const cut = entry.lastIndexOf('_');
    return { type: entry.slice(0, cut), version: entry.slice(cut + 1) };
  });
  const supported = (type: string, range?: ChallengePreference['Versions']) =>
    offered
      .filter((o) => o.type === type && SUPPORTED_CHALLENGES[type as ChallengeType]?.includes(o.version))
      .filter((o) => (!range?.Minimum || compareVersions(o.version, range.Minimum) >= 0) && (!range?.Maximum || compareVersions(o.version, range.Maximum) <= 0))
      .sort((a, b) => compareVersions(b.version, a.version))[0];
  const order = preferences?.length ? preferences : [{ Type: 'FaceMovementAndLightChallenge' }];
  for (const preference of order) {
    const match = supported(preference.Type, preference.Versions);
    if (match) return { type: match.type as ChallengeType, version: match.version };
  }
  throw new NoCommonChallengeError(`None of the challenges the client supports (${challengeVersions}) is available for this session.`);
}

/**
 * The random part of a challenge, drawn when the session is created (so a test can read it from
 * the session file before the browser opens its camera): three uniform numbers in [0, 1] that
 * place and size the oval in whatever video the client later announces, and the colours.
 */
export interface ChallengePlan {
  OvalSeeds: { Width: number; CenterX: number; CenterY: number };
  ColorSequences: ColorSequence[];
}

/** Draws a session's challenge plan (node:crypto). */
export function planChallenge(): ChallengePlan {
  return { OvalSeeds: { Width: uniform(0, 1), CenterX: uniform(0, 1), CenterY: uniform(0, 1) }, ColorSequences: colorSequence() };
}

/**
 * The challenge of `type` a session with `plan` gets for a video of `width` x `height` pixels.
 * Deterministic: the same plan and size always give the same oval.
 */
export function challengeFromPlan(plan: ChallengePlan, type: ChallengeType, version: string, width: number, height: number): SessionChallenge {
  const seed = plan.OvalSeeds;
  // Amplify sizes its own ovals on a 3:4 portrait crop of landscape video; so does this.
  const base = width >= height ? 0.75 * height : width;
  const ratio = CHALLENGE_CONFIG.OvalHeightWidthRatio;
  // Whole pixels, rounded so that the rounded oval still fits the video (the centre is kept at
  // least half the rounded size from each edge).
  const ovalWidth = Math.floor(Math.min(base * (0.66 + 0.16 * seed.Width), height / ratio));
  const ovalHeight = Math.round(ovalWidth * ratio);
  const spanX = Math.max(0, Math.min(0.15 * width, width / 2 - ovalWidth / 2));
  const spanY = Math.max(0, Math.min(0.05 * height, height / 2 - ovalHeight / 2));
  const centre = (size: number, extent: number, span: number, seed: number) =>
    Math.min(Math.max(Math.round(size / 2 + (2 * seed - 1) * span), Math.ceil(extent / 2)), Math.floor(size - extent / 2));
  const challenge: SessionChallenge = {
    Type: type,
    Version: version,
    VideoWidth: width,
    VideoHeight: height,
    OvalParameters: {
      Width: ovalWidth,
      Height: ovalHeight,
      CenterX: centre(width, ovalWidth, spanX, seed.CenterX),
      CenterY: centre(height, ovalHeight, spanY, seed.CenterY),
    },
    ChallengeConfig: { ...CHALLENGE_CONFIG },
  };
  if (type === 'FaceMovementAndLightChallenge') {
    challenge.LightChallengeType = 'SEQUENTIAL';
    challenge.ColorSequences = plan.ColorSequences;
  }
  return challenge;
}

/** Black first (flat, as Rekognition starts), then random colours, never the same twice in a row. */
function colorSequence(): ColorSequence[] {
  const sequence: ColorSequence[] = [{ FreshnessColor: { RGB: [0, 0, 0] }, DownscrollDuration: 0, FlatDisplayDuration: 75 }];
  let previous = -1;
  for (let i = 0; i < COLOR_COUNT; i++) {
    // Drawn from the palette less the previous colour.
    let next = randomInt(previous < 0 ? PALETTE.length : PALETTE.length - 1);
    if (previous >= 0 && next >= previous) next++;
    previous = next;
    sequence.push({ FreshnessColor: { RGB: [...PALETTE[next]] }, DownscrollDuration: DOWNSCROLL_MS, FlatDisplayDuration: 0 });
  }
  return sequence;
}

/** A uniform random number in [min, max], from node:crypto. */
function uniform(min: number, max: number): number {
  return min + (randomInt(1_000_001) / 1_000_000) * (max - min);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
