/**
 * One video frame through the pipeline: the frame arrives as raw RGB (decoded by ffmpeg, not
 * sharp), every face is found, and only the faces of frames that need it get landmarks, a
 * descriptor and Human's passive scores. Runs inside a worker thread (see `worker.ts`).
 */
import { alignmentFrame, squareAround } from './align.ts';
import { embedArcFace } from './arcface.ts';
import { toFloat32 } from './analyze.ts';
import { detectCandidates } from './detect.ts';
import { embedFace, RECOGNITION_INPUT } from './embed.ts';
import { detectLandmarks } from './landmarks.ts';
import type { Models } from './models.ts';
import { measureQuality } from './quality.ts';
import { joinDescriptors } from './similarity.ts';
import type { FrameAnalysis, FrameFace, FrameOptions, RawFrame } from './types.ts';

/** First landmark box around the mesh, as in `analyze.ts`. */
const FIRST_PASS_SCALE = 1.2;
/** Frames are video, not photos: no larger than 4K. */
const MAX_FRAME_PIXELS = 3840 * 2160;

/** Finds every face of `frame` (largest first), with descriptors and passive scores when asked for. */
export async function analyzeFrame(models: Models, frame: RawFrame, options: FrameOptions = {}): Promise<FrameAnalysis> {
  const { tf } = models;
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_FRAME_PIXELS || data.length !== width * height * 3) {
    throw new RangeError(`a frame must be ${width} x ${height} RGB pixels (up to 4K), got ${data.length} bytes`);
  }
  const image = tf.tensor4d(toFloat32(data), [1, height, width, 3], 'float32');
  try {
    const candidates = await detectCandidates(models, image, { passive: options.passive });
    candidates.sort((a, b) => b.meshBox.width * b.meshBox.height - a.meshBox.width * a.meshBox.height);
    const faces: FrameFace[] = [];
    for (const candidate of candidates) {
      const face: FrameFace = {
        box: candidate.meshBox,
        confidence: candidate.confidence,
        pose: { yaw: candidate.yaw, pitch: candidate.pitch },
        keypoints: candidate.keypoints,
        ...(candidate.passive ? { passive: candidate.passive } : {}),
      };
      if (options.descriptors) {
        const landmarks = await detectLandmarks(models, image, squareAround(candidate.meshBox, FIRST_PASS_SCALE));
        // The same descriptor as a photo's (analyze.ts): ResNet and ArcFace, joined.
        const { descriptor: resnet, crop } = await embedFace(models, image, alignmentFrame(landmarks));
        const arcface = await embedArcFace(tf, models.arcface, image, landmarks);
        if (resnet.every(Number.isFinite) && arcface.every(Number.isFinite)) {
          face.descriptor = joinDescriptors(resnet, arcface);
          face.quality = measureQuality(crop, RECOGNITION_INPUT);
        }
      }
      faces.push(face);
    }
    return { width, height, faces };
  } finally {
    image.dispose();
  }
}
