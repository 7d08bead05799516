/**
 * What the frames show, gathered while the video is still arriving: every sampled frame goes to
 * the face engine for detection (the engine's workers run them in parallel), and keeps a small
 * grey copy for the motion check; the frames themselves are kept for the few that get a
 * descriptor and for the reference and audit images. A face frame every second or so gets its
 * descriptor at once, while the person is still being filmed, so that little is left to do once
 * the video ends (the identity check compares these).
 */
import type { FrameAnalysis, FrameAnalyzer, FrameFace, FrameOptions } from '../../../../faces/types.ts';
import { faceBoxFromLandmarks, type Rect } from '../geometry.ts';
import type { VideoFrame } from '../video-frames.ts';

/** Grey thumbnails are this many times smaller than the frame on each side. */
export const THUMBNAIL_FACTOR = 2;

/** One sampled frame and what was found in it. */
export interface Observation {
  frame: VideoFrame;
  /** Faces, largest first. */
  faces: FrameFace[];
  /** The largest face's box as Amplify computes it (from eyes, nose, mouth, ears), in pixels of the video the client announced (where the oval is). */
  faceBox?: Rect;
  /** Grey, 1/THUMBNAIL_FACTOR of the frame's width and height. */
  grey: { width: number; height: number; data: Float32Array };
  /** Set for the frames that got descriptors (see {@link Observations.describe}). */
  described?: FrameAnalysis;
  /** The descriptor's analysis under way (started early, or by `describe`). */
  describing?: Promise<void>;
}

/** Options of a full analysis: descriptors and the passive scores (measured and reported, see decide.ts). */
const FULL: FrameOptions = { descriptors: true, passive: true };
/** While the video arrives, a face frame at least this long after the last one described early is described at once. */
const EARLY_EVERY_MS = 1000;
/** ... up to this many (a long video does not keep the engine busy). */
const EARLY_LIMIT = 8;

/** The collector: `add` each decoded frame; `settled()` once decoding ended. */
export function collectObservations(analyzer: FrameAnalyzer, video: { width: number; oval: Rect; ovalHeightWidthRatio: number }) {
  const observations: Observation[] = [];
  const pending: Promise<void>[] = [];
  let failure: Error | undefined;
  let earlyCount = 0;
  let lastEarlyMs = -Infinity;

  const startDescribing = (observation: Observation): Promise<void> => {
    observation.describing ??= analyzer.analyzeFrame(observation.frame, FULL).then((analysis) => {
      observation.described = analysis;
    });
    return observation.describing;
  };

  return {
    /** Starts detection on a frame (not awaited: frames keep coming). */
    add(frame: VideoFrame): void {
      const observation: Observation = { frame, faces: [], grey: thumbnail(frame) };
      observations.push(observation);
      pending.push(
        analyzer.analyzeFrame(frame, { descriptors: false }).then(
          (analysis) => {
            observation.faces = analysis.faces;
            const face = analysis.faces[0];
            const toVideo = video.width / frame.width;
            if (face) observation.faceBox = scaled(amplifyBox(face, scaled(video.oval, 1 / toVideo), video.ovalHeightWidthRatio, frame.height), toVideo);
            if (face && earlyCount < EARLY_LIMIT && frame.timeMs - lastEarlyMs >= EARLY_EVERY_MS) {
              earlyCount++;
              lastEarlyMs = frame.timeMs;
              pending.push(startDescribing(observation).catch((error: unknown) => void (failure ??= error instanceof Error ? error : new Error(String(error)))));
            }
          },
          (error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(String(error));
          },
        ),
      );
    },

    /** Every frame added so far, with its detections; throws when the engine failed on one. */
    async settled(): Promise<Observation[]> {
      await Promise.all(pending);
      if (failure) throw failure;
      return observations;
    },

    /** Runs the full analysis (descriptors, passive scores) on some frames, unless it ran already. */
    async describe(selected: Observation[]): Promise<void> {
      await Promise.all(selected.map(startDescribing));
    },
  };
}

/** The collector {@link collectObservations} makes. */
export type Observations = ReturnType<typeof collectObservations>;

/** Amplify's face box of a detected face, against the session's oval (both in the frame's pixels). */
export function amplifyBox(face: FrameFace, oval: Rect, ratio: number, frameHeight: number): Rect {
  const k = face.keypoints;
  return faceBoxFromLandmarks({ eyeLeft: k.eyeImageLeft, eyeRight: k.eyeImageRight, nose: k.noseTip, mouth: k.mouthCenter, earLeft: k.earImageLeft, earRight: k.earImageRight }, oval, ratio, frameHeight);
}

function scaled(r: Rect, k: number): Rect {
  return { left: r.left * k, top: r.top * k, right: r.right * k, bottom: r.bottom * k };
}

/** A grey copy, box-averaged down by THUMBNAIL_FACTOR. */
function thumbnail(frame: VideoFrame): Observation['grey'] {
  const f = THUMBNAIL_FACTOR;
  const width = Math.floor(frame.width / f);
  const height = Math.floor(frame.height / f);
  const data = new Float32Array(width * height);
  const src = frame.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        let i = ((y * f + dy) * frame.width + x * f) * 3;
        for (let dx = 0; dx < f; dx++, i += 3) sum += 0.299 * src[i] + 0.587 * src[i + 1] + 0.114 * src[i + 2];
      }
      data[y * width + x] = sum / (f * f);
    }
  }
  return { width, height, data };
}
