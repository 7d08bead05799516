/**
 * Videos for Face Liveness tests, the benchmark and the browser scenarios, made from the shared
 * face images (../shared/faces) and a session's challenge, encoded with Debian's ffmpeg.
 *
 * Every clip is 640 x 480 (what Amplify's component asks the camera for), 30 frames per second,
 * filmed by a still camera in front of a synthetic room (a wall with a door frame and a shelf:
 * static straight edges, as a real background has), with a little sensor noise on every frame.
 * How each kind is made:
 *
 * - `genuine`: one photo of the person; the head is cut out with a soft elliptical matte (face,
 *   hair and some neck; no straight edge) and moves over the room as a head does: first small and
 *   off-centre (55-68 % of the size that fills the oval, 18-28 % of the width away from it, as a
 *   person sits when the component has told them to move back), then, after 1.5 s, into the
 *   session's oval over 1.5 s (eased), where the face box Amplify computes from the eyes, nose and
 *   mouth matches the oval, and held 1.5 s; small, slow jitter (a few pixels, ~1 % of size) all
 *   along. For the light challenge the colours of the session's sequence light the face (16 %)
 *   and the room (4 %) from 1 s after the face reached the oval, each colour scrolling down over
 *   the screen for its DownscrollDuration, as the component shows them; the clip ends after them.
 * - `still-photo`: a printed photo of the person (a rectangle around the head, its own background
 *   included) held motionless with its face already fitting the session's oval, the worst case
 *   for the server (or, `stillAt: 'start'`, where a genuine clip starts), for as long as a genuine
 *   clip; sensor noise only.
 * - `id-card`: an ID card of `../shared/faces/cards` (the whole card, a rigid rectangle) held up and
 *   moved into the oval along the genuine path, its photo's face where the person's face would be
 *   (so the card fills the frame at the end, as it must to fit the oval).
 * - `replay`: a recording made for another session, sent to this one: either one this service
 *   received (`recording`: that clip, played into a virtual camera, i.e. decoded and encoded
 *   anew with fresh sensor noise), or one it never saw (`replayOf`: a genuine clip filmed for
 *   another session's challenge).
 * - `two-faces`: the genuine clip with a second person's head (another photo, same matte) in the
 *   room beside the oval, smaller, still.
 *
 * `webm` is VP8 at 1 Mbit/s with no audio, as Chrome's MediaRecorder records for the component;
 * `y4m` (optional) holds the same frames uncompressed for Chromium's fake camera
 * (`--use-file-for-fake-video-capture=<file>.y4m`), which loops it.
 */
import { spawn } from 'node:child_process';
import sharp, { type OverlayOptions } from 'sharp';
import type { FrameAnalyzer } from '../../local/faces/types.ts';
import type { ChallengeType, ColorSequence, OvalParameters } from '../../local/aws/rekognition/liveness/challenge.ts';
import { faceBoxFromLandmarks, ovalRect, type FaceLandmarks, type Point, type Rect } from '../../local/aws/rekognition/liveness/geometry.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

/** What a clip is asked to show. */
export type ClipKind = 'genuine' | 'still-photo' | 'id-card' | 'replay' | 'two-faces';

/** The parts of a session's challenge a clip follows. */
export interface ClipChallenge {
  Type: ChallengeType;
  VideoWidth: number;
  VideoHeight: number;
  OvalParameters: OvalParameters;
  ChallengeConfig: { OvalHeightWidthRatio: number };
  ColorSequences?: ColorSequence[];
}

/** A face located in a source image: the points Amplify's face box is made from, in source pixels. */
export interface SourceFace extends FaceLandmarks {
  /** The face mesh's box. */
  box: { x: number; y: number; width: number; height: number };
}

/** A source image and its face. */
export interface SourceImage {
  bytes: Buffer;
  face: SourceFace;
}

/** Options of {@link makeLivenessClip}. */
export interface ClipOptions {
  kind: ClipKind;
  /** The person: their photo (genuine, still-photo, replay, two-faces). */
  person: SourceImage;
  /** The session's challenge (the oval the genuine clip moves into). */
  challenge: ClipChallenge;
  /** id-card: the card image. */
  card?: SourceImage;
  /** replay of a recording never sent here: the other session's challenge it was made for. */
  replayOf?: ClipChallenge;
  /** replay of a recording sent here before: that clip. */
  recording?: LivenessClip;
  /** two-faces: the second person. */
  second?: SourceImage;
  /** Everything random (path, jitter, room) follows from this number. */
  seed: number;
  /** Also write the frames as Y4M for Chromium's fake camera, to this file. */
  y4mFile?: string;
  /** The Y4M's frame rate (default 30, the clip's): fewer frames are less for a loaded browser to play in time. */
  y4mFps?: number;
  /**
   * The Y4M's frame size (default the clip's 640 x 480): the clip is filmed at 640 x 480 and
   * scaled, as a webcam's driver scales its sensor, so the oval of a session for this size (the
   * same proportions) is where the face goes.
   */
  y4mSize?: { width: number; height: number };
  /**
   * still-photo: where the print is held, still: fitting the oval (default, the worst case for the
   * server) or where a person starts, away from it (what a browser's component sees when a photo
   * never moves into its oval: it waits, then times out).
   */
  stillAt?: 'oval' | 'start';
  /**
   * Phase lengths in ms (defaults 1500 / 1500 / 1500; under the light challenge the hold lasts
   * until the colours end, then `tailMs`, default 300). Browser scenarios lengthen them for a
   * looping fake camera.
   */
  timing?: { initialMs?: number; moveMs?: number; holdMs?: number; tailMs?: number };
}

/** What an honest client would report of the clip, in ms after its first frame and in pixels. */
export interface ClipTimeline {
  /** The face box (Amplify's, from landmarks) at the start, where the component saw it. */
  initialFace: Rect;
  initialFaceAtMs: number;
  /** When the face box matched the oval, and until when it stayed (the clip's end). */
  targetStartMs: number;
  targetEndMs: number;
  /** Light challenge: when each colour started (ColorDisplayed events). */
  colors: { sequenceNumber: number; startMs: number; current: [number, number, number]; previous: [number, number, number] }[];
}

/** A made clip. */
export interface LivenessClip {
  kind: ClipKind;
  width: number;
  height: number;
  fps: number;
  durationMs: number;
  webm: Buffer;
  timeline: ClipTimeline;
}

const WIDTH = 640;
const HEIGHT = 480;
const FPS = 30;
/** Screen light on the face and on the room, as a share of the colour mixed in. */
const FACE_LIGHT = 0.16;
const ROOM_LIGHT = 0.04;
/** Amplify waits this long after the face matched before the colours start. */
const FLASH_DELAY_MS = 1000;

/** Finds the face of a source image with the engine (the largest face), in the image's own pixels. */
export async function locateFace(analyzer: FrameAnalyzer, bytes: Buffer): Promise<SourceFace> {
  const { data, info } = await sharp(bytes).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const analysis = await analyzer.analyzeFrame({ width: info.width, height: info.height, data: rgb(data, info.channels) });
  const face = analysis.faces[0];
  if (!face) throw new Error('no face in the source image');
  const k = face.keypoints;
  return { eyeLeft: k.eyeImageLeft, eyeRight: k.eyeImageRight, nose: k.noseTip, mouth: k.mouthCenter, earLeft: k.earImageLeft, earRight: k.earImageRight, box: face.box };
}

/** Makes a clip of `kind` for `challenge` (see the module comment for how each kind is made). */
export async function makeLivenessClip(options: ClipOptions): Promise<LivenessClip> {
  if (options.kind === 'replay' && options.recording) return { ...options.recording, kind: 'replay', webm: await reencode(options.recording.webm, options) };
  const random = seededRandom(options.seed);
  const room = await roomBackground(random);
  const plan = planMotion(options, random);
  const layers = await prepareLayers(options);
  const encoder = startEncoder(options.y4mFile, undefined, options.y4mFps, options.y4mSize);
  const frames = Math.round((plan.durationMs / 1000) * FPS);
  for (let i = 0; i < frames; i++) {
    const t = (i * 1000) / FPS;
    const frame = await renderFrame(room, layers, plan, t);
    const light = plan.lightAt(t);
    if (light) addRoomLight(frame, light.color);
    await encoder.write(frame);
  }
  const webm = await encoder.finish();
  return { kind: options.kind, width: WIDTH, height: HEIGHT, fps: FPS, durationMs: (frames * 1000) / FPS, webm, timeline: plan.timeline };
}

/**
 * Splits a WebM as MediaRecorder delivers it with a timeslice: the header with the first cluster,
 * then roughly one chunk per `timesliceMs` of clusters (ffmpeg writes a cluster every second or so).
 */
export function webmChunks(webm: Buffer, parts: number): Buffer[] {
  const clusterId = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);
  const starts: number[] = [];
  for (let at = webm.indexOf(clusterId); at >= 0; at = webm.indexOf(clusterId, at + 4)) starts.push(at);
  if (starts.length < 2) return [webm];
  const cuts = [0, ...starts.slice(1)].filter((_, i, all) => i === 0 || i % Math.max(1, Math.round(all.length / parts)) === 0);
  return cuts.map((from, i) => webm.subarray(from, cuts[i + 1] ?? webm.length));
}

// ---------------------------------------------------------------------------------------------
// Motion: where the face is at each moment.

interface Pose {
  /** Scale of the source image in the frame. */
  scale: number;
  /** Where the source face box's centre lands, in frame pixels. */
  x: number;
  y: number;
}

interface MotionPlan {
  durationMs: number;
  poseAt(t: number): Pose;
  lightAt(t: number): { color: [number, number, number] } | undefined;
  /** two-faces: the second head's fixed pose. */
  secondPose?: Pose;
  timeline: ClipTimeline;
}

/**
 * Ovals that make Amplify's face box centre between the eyes and the nose (`UPRIGHT`: no eyes are
 * below half of its infinite bottom), or on the eyes (`TILTED`: every eye is below half of 0).
 */
const UPRIGHT: Rect = { left: 0, right: 0, top: 0, bottom: Infinity };
const TILTED: Rect = { left: 0, right: 0, top: 0, bottom: 0 };

/**
 * The source face box that, scaled by `scale` and centred on the oval, fills it (Amplify's face
 * box = the oval's box). Centred between the eyes and the nose, unless that leaves the eyes low
 * enough in the oval for the component to centre its box on them: then on the eyes.
 */
function fitToOval(face: SourceFace, challenge: ClipChallenge): { scale: number; box: Rect } {
  const ratio = challenge.ChallengeConfig.OvalHeightWidthRatio;
  const upright = faceBoxFromLandmarks(face, UPRIGHT, ratio, Infinity);
  const scale = challenge.OvalParameters.Width / (upright.right - upright.left);
  const eyeY = (face.eyeLeft.y + face.eyeRight.y) / 2;
  const placedEyeY = challenge.OvalParameters.CenterY + (eyeY - (upright.top + upright.bottom) / 2) * scale;
  const oval = ovalRect(challenge.OvalParameters);
  const tiltsDown = placedEyeY > (oval.top + (oval.bottom - oval.top)) / 2;
  return { scale, box: tiltsDown ? faceBoxFromLandmarks(face, TILTED, ratio, Infinity) : upright };
}

/** Amplify's face box of `face` where `pose` puts the source point `center`, against the challenge's oval. */
function boxInFrame(face: SourceFace, center: Point, pose: Pose, challenge: ClipChallenge): Rect {
  const at = (p: Point) => ({ x: pose.x + (p.x - center.x) * pose.scale, y: pose.y + (p.y - center.y) * pose.scale });
  const placed = { eyeLeft: at(face.eyeLeft), eyeRight: at(face.eyeRight), nose: at(face.nose), mouth: at(face.mouth), earLeft: at(face.earLeft), earRight: at(face.earRight) };
  return faceBoxFromLandmarks(placed, ovalRect(challenge.OvalParameters), challenge.ChallengeConfig.OvalHeightWidthRatio, HEIGHT);
}

function planMotion(options: ClipOptions, random: () => number): MotionPlan {
  const followed = options.kind === 'replay' ? options.replayOf! : options.challenge;
  const face = options.kind === 'id-card' ? options.card!.face : options.person.face;
  const oval = followed.OvalParameters;
  const { scale: fit, box: sourceBox } = fitToOval(face, followed);
  const sourceCenter = { x: (sourceBox.left + sourceBox.right) / 2, y: (sourceBox.top + sourceBox.bottom) / 2 };
  const initialMs = options.timing?.initialMs ?? 1500;
  const moveMs = options.timing?.moveMs ?? 1500;
  const holdMs = options.timing?.holdMs ?? 1500;
  const light = options.challenge.Type === 'FaceMovementAndLightChallenge' && options.kind !== 'still-photo' ? (options.kind === 'replay' ? options.replayOf!.ColorSequences : options.challenge.ColorSequences) : undefined;
  const matchMs = initialMs + moveMs;
  const flashMs = light ? light.reduce((sum, c) => sum + c.DownscrollDuration + c.FlatDisplayDuration, 0) : 0;
  const durationMs = light ? matchMs + FLASH_DELAY_MS + flashMs + (options.timing?.tailMs ?? 300) : matchMs + holdMs;

  // The start: smaller, and off to the side of the oval that leaves room in the frame.
  const startScale = fit * (0.55 + 0.13 * random());
  const startWidth = (sourceBox.right - sourceBox.left) * startScale;
  const away = (0.18 + 0.1 * random()) * WIDTH * (oval.CenterX > WIDTH / 2 ? -1 : 1);
  const start = {
    scale: startScale,
    x: clamp(oval.CenterX + away, startWidth / 2 + 10, WIDTH - startWidth / 2 - 10),
    y: oval.CenterY + (random() - 0.5) * 0.1 * HEIGHT,
  };
  const end = { scale: fit, x: oval.CenterX, y: oval.CenterY };
  const phases = [random() * 6, random() * 6, random() * 6];
  const jitter = (t: number, amplitude: number, i: number) => amplitude * (Math.sin(t / 430 + phases[i]) * 0.6 + Math.sin(t / 170 + 2 * phases[i]) * 0.4);

  const still = options.kind === 'still-photo';
  const poseAt = (t: number): Pose => {
    if (still) return options.stillAt === 'start' ? { ...start } : { ...end };
    const progress = easeInOut(clamp((t - initialMs) / moveMs, 0, 1));
    const scale = start.scale + (end.scale - start.scale) * progress;
    return {
      scale: scale * (1 + jitter(t, 0.008, 2)),
      x: start.x + (end.x - start.x) * progress + jitter(t, 3, 0),
      y: start.y + (end.y - start.y) * progress + jitter(t, 2.5, 1),
    };
  };

  const colors: ClipTimeline['colors'] = [];
  let lightAt: MotionPlan['lightAt'] = () => undefined;
  if (light) {
    const starts: number[] = [];
    let at = matchMs + FLASH_DELAY_MS;
    for (const [i, c] of light.entries()) {
      starts.push(at);
      colors.push({ sequenceNumber: i, startMs: at, current: c.FreshnessColor.RGB, previous: light[Math.max(0, i - 1)].FreshnessColor.RGB });
      at += c.DownscrollDuration + c.FlatDisplayDuration;
    }
    lightAt = (t) => {
      const i = starts.findLastIndex((s) => s <= t);
      if (i < 0 || t > at) return undefined;
      const c = light[i];
      const share = c.DownscrollDuration > 0 ? clamp((t - starts[i]) / c.DownscrollDuration, 0, 1) : 1;
      const previous = light[Math.max(0, i - 1)].FreshnessColor.RGB;
      const mix = c.FreshnessColor.RGB.map((v, k) => previous[k] * (1 - share) + v * share) as [number, number, number];
      return { color: mix };
    };
  }

  const initial = poseAt(100);
  const initialBox = boxInFrame(face, sourceCenter, initial, followed);
  const secondFace = options.second?.face;
  let secondPose: Pose | undefined;
  if (secondFace) {
    const secondBox = faceBoxFromLandmarks(secondFace, UPRIGHT, followed.ChallengeConfig.OvalHeightWidthRatio, Infinity);
    const scale = (0.45 * oval.Width) / (secondBox.right - secondBox.left);
    const side = oval.CenterX > WIDTH / 2 ? 0.14 : 0.86;
    secondPose = { scale, x: side * WIDTH, y: 0.35 * HEIGHT };
  }
  return {
    durationMs,
    poseAt: (t) => {
      const pose = poseAt(t);
      // The pose places the source face box's centre; the renderer wants the source origin.
      return { scale: pose.scale, x: pose.x - sourceCenter.x * pose.scale, y: pose.y - sourceCenter.y * pose.scale };
    },
    lightAt,
    secondPose: secondPose && secondFace ? originPose(secondFace, followed, secondPose) : undefined,
    timeline: {
      initialFace: initialBox,
      initialFaceAtMs: 100,
      targetStartMs: still ? 0 : matchMs,
      targetEndMs: durationMs,
      colors,
    },
  };
}

function originPose(face: SourceFace, challenge: ClipChallenge, pose: Pose): Pose {
  const box = faceBoxFromLandmarks(face, UPRIGHT, challenge.ChallengeConfig.OvalHeightWidthRatio, Infinity);
  return { scale: pose.scale, x: pose.x - ((box.left + box.right) / 2) * pose.scale, y: pose.y - ((box.top + box.bottom) / 2) * pose.scale };
}

// ---------------------------------------------------------------------------------------------
// Layers and frames.

/** A picture to paste: RGBA pixels. */
interface Sprite {
  data: Buffer;
  width: number;
  height: number;
}

interface Layers {
  /** The moving layer (a head, a printed photo, a card), in source pixels. */
  main: Sprite;
  second?: Sprite;
}

async function prepareLayers(options: ClipOptions): Promise<Layers> {
  switch (options.kind) {
    case 'id-card':
      return { main: await rectangle(options.card!.bytes) };
    case 'still-photo':
      return { main: await printedPhoto(options.person) };
    case 'two-faces':
      return { main: await head(options.person), second: await head(options.second!) };
    default:
      return { main: await head(options.person) };
  }
}

/** The whole image as an opaque rectangle. */
async function rectangle(bytes: Buffer): Promise<Sprite> {
  const { data, info } = await sharp(bytes).rotate().toColourspace('srgb').ensureAlpha(1).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A print of the photo: the rectangle around the head (2.2 face widths wide), its own background in it. */
async function printedPhoto(person: SourceImage): Promise<Sprite> {
  const full = await rectangle(person.bytes);
  const { box } = person.face;
  const side = box.width * 2.2;
  const left = Math.max(0, Math.round(box.x + box.width / 2 - side / 2));
  const top = Math.max(0, Math.round(box.y + box.height / 2 - side * 0.55));
  const width = Math.min(full.width - left, Math.round(side));
  const height = Math.min(full.height - top, Math.round(side * 1.25));
  const data = Buffer.alloc(full.width * full.height * 4);
  // Outside the print is transparent: the room shows there.
  for (let y = top; y < top + height; y++) full.data.copy(data, (y * full.width + left) * 4, (y * full.width + left) * 4, (y * full.width + left + width) * 4);
  return { data, width: full.width, height: full.height };
}

/** The head cut out with a soft ellipse: face, hair and some neck, no straight edge. */
async function head(person: SourceImage): Promise<Sprite> {
  const sprite = await rectangle(person.bytes);
  const { box } = person.face;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height * 0.42;
  const rx = box.width * 0.62;
  const ry = box.height * 0.98;
  for (let y = 0; y < sprite.height; y++) {
    for (let x = 0; x < sprite.width; x++) {
      const d = Math.hypot((x - cx) / rx, (y - cy) / ry);
      sprite.data[(y * sprite.width + x) * 4 + 3] = Math.round(255 * clamp((1.0 - d) / 0.18, 0, 1));
    }
  }
  return sprite;
}

async function renderFrame(room: Buffer, layers: Layers, plan: MotionPlan, t: number): Promise<Buffer> {
  const overlays: OverlayOptions[] = [];
  if (layers.second && plan.secondPose) overlays.push(...(await placed(layers.second, plan.secondPose)));
  const light = plan.lightAt(t);
  overlays.push(...(await placed(layers.main, plan.poseAt(t), light)));
  return sharp(room, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** The sprite scaled and moved to `pose`, cut to the frame, ready for sharp's composite. */
async function placed(sprite: Sprite, pose: Pose, light?: { color: [number, number, number] }): Promise<OverlayOptions[]> {
  const width = Math.max(1, Math.round(sprite.width * pose.scale));
  const height = Math.max(1, Math.round(sprite.height * pose.scale));
  const left = Math.round(pose.x);
  const top = Math.round(pose.y);
  const visible = { left: Math.max(0, left), top: Math.max(0, top), right: Math.min(WIDTH, left + width), bottom: Math.min(HEIGHT, top + height) };
  if (visible.right <= visible.left || visible.bottom <= visible.top) return [];
  // Scale only the visible part: a card four times the frame is not resized whole each frame.
  const region = { left: (visible.left - left) / pose.scale, top: (visible.top - top) / pose.scale, width: (visible.right - visible.left) / pose.scale, height: (visible.bottom - visible.top) / pose.scale };
  const crop = {
    left: clamp(Math.floor(region.left), 0, sprite.width - 1),
    top: clamp(Math.floor(region.top), 0, sprite.height - 1),
  };
  const cropWidth = clamp(Math.ceil(region.left + region.width) - crop.left, 1, sprite.width - crop.left);
  const cropHeight = clamp(Math.ceil(region.top + region.height) - crop.top, 1, sprite.height - crop.top);
  const outWidth = visible.right - visible.left;
  const outHeight = visible.bottom - visible.top;
  const pixels = await sharp(sprite.data, { raw: { width: sprite.width, height: sprite.height, channels: 4 } })
    .extract({ left: crop.left, top: crop.top, width: cropWidth, height: cropHeight })
    .resize(outWidth, outHeight, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  if (light) {
    for (let i = 0; i < pixels.length; i += 4) {
      for (let k = 0; k < 3; k++) pixels[i + k] = pixels[i + k] * (1 - FACE_LIGHT) + light.color[k] * FACE_LIGHT;
    }
  }
  return [{ input: pixels, raw: { width: outWidth, height: outHeight, channels: 4 }, left: visible.left, top: visible.top }];
}

/** The room's share of the screen light, on the finished frame. */
function addRoomLight(frame: Buffer, color: [number, number, number]): void {
  for (let i = 0; i < frame.length; i++) frame[i] = frame[i] * (1 - ROOM_LIGHT) + color[i % 3] * ROOM_LIGHT;
}

/** A plain room: a wall with a vertical light gradient, a door frame and a shelf, and some texture (sensor noise comes from ffmpeg). */
async function roomBackground(random: () => number): Promise<Buffer> {
  const wall = [150 + 60 * random(), 140 + 60 * random(), 120 + 60 * random()];
  const frame = Buffer.alloc(WIDTH * HEIGHT * 3);
  const door = { left: Math.round(WIDTH * (0.05 + 0.2 * random())), width: Math.round(WIDTH * 0.22), top: Math.round(HEIGHT * 0.12) };
  const shelf = { top: Math.round(HEIGHT * (0.25 + 0.2 * random())), left: Math.round(WIDTH * 0.6), right: Math.round(WIDTH * 0.95) };
  for (let y = 0; y < HEIGHT; y++) {
    const shade = 0.85 + 0.2 * (y / HEIGHT);
    for (let x = 0; x < WIDTH; x++) {
      let c = wall.map((w) => w * shade);
      const inDoorFrame = x >= door.left && x < door.left + door.width && y >= door.top && (x < door.left + 8 || x >= door.left + door.width - 8 || y < door.top + 8);
      if (inDoorFrame) c = [90, 70, 50];
      if (y >= shelf.top && y < shelf.top + 6 && x >= shelf.left && x < shelf.right) c = [70, 55, 40];
      const grain = (Math.sin(x * 0.7 + y * 1.3) + Math.sin(x * 0.13 - y * 0.29)) * 2;
      for (let k = 0; k < 3; k++) frame[(y * WIDTH + x) * 3 + k] = clamp(Math.round(c[k] + grain), 0, 255);
    }
  }
  return frame;
}

// ---------------------------------------------------------------------------------------------
// Encoding.

/** A recording played into a virtual camera and recorded again: decoded, noised, encoded anew. */
async function reencode(webm: Buffer, { y4mFile, y4mFps, y4mSize }: Pick<ClipOptions, 'y4mFile' | 'y4mFps' | 'y4mSize'>): Promise<Buffer> {
  const encoder = startEncoder(y4mFile, ['-i', 'pipe:0'], y4mFps, y4mSize);
  await encoder.write(webm);
  return encoder.finish();
}

function startEncoder(y4mFile: string | undefined, input = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${WIDTH}x${HEIGHT}`, '-r', String(FPS), '-i', 'pipe:0'], y4mFps = FPS, y4mSize = { width: WIDTH, height: HEIGHT }) {
  // A camera's sensor noise, different in every frame.
  const noise = 'noise=alls=5:allf=t';
  const webm = ['-vf', noise, '-an', '-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8', '-auto-alt-ref', '0', '-f', 'webm', 'pipe:1'];
  const y4m = y4mFile ? ['-vf', `scale=${y4mSize.width}:${y4mSize.height}:flags=area,${noise}`, '-an', '-pix_fmt', 'yuv420p', '-r', String(y4mFps), '-f', 'yuv4mpegpipe', '-y', y4mFile] : [];
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...input, ...webm, ...y4m], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg could not encode the clip (exit ${code}): ${stderr.trim()}`))));
  });
  return {
    write: (frame: Buffer) => new Promise<void>((resolve, reject) => child.stdin.write(frame, (error) => (error ? reject(error) : resolve()))),
    async finish(): Promise<Buffer> {
      child.stdin.end();
      await closed;
      return Buffer.concat(out);
    },
  };
}

// ---------------------------------------------------------------------------------------------

function easeInOut(p: number): number {
  return p < 0.5 ? 2 * p * p : 1 - (-2 * p + 2) ** 2 / 2;
}

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

function rgb(data: Buffer, channels: number): Uint8Array {
  if (channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array((data.length / channels) * 3);
  for (let i = 0, j = 0; i < data.length; i += channels, j += 3) out[j] = out[j + 1] = out[j + 2] = data[i];
  return out;
}

/** The oval's box, for tests that check where a clip put the face. */
export { ovalRect };

/** A shared face image (a path under ../shared/faces) and its face, ready for {@link makeLivenessClip}. */
export async function sourceImage(analyzer: FrameAnalyzer, file: string): Promise<SourceImage> {
  const { face: read } = await import('./faces.ts');
  const bytes = await read(file);
  return { bytes, face: await locateFace(analyzer, bytes) };
}
