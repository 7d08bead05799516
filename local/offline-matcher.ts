/**
 * The offline `FaceMatcher`: Rekognition's DetectFaces / CompareFaces semantics over the local face
 * engine, with the same result shape and error codes as the Rekognition backend.
 */
import type { CompareOptions, DetectedFace, FaceComparison, FaceMatcher } from '../functions/verification/faces/face-matcher.ts';
import { FaceMatchError } from '../functions/verification/faces/face-matcher.ts';
import { mainFaceIndex } from '../functions/verification/faces/main-face.ts';
import { ImageTooLargeError } from './faces/index.ts';
import { passesQualityFilter } from './faces/index.ts';
import { type AnalyzedFace, type FaceEngine, ImageDecodeError, type ImageAnalysis } from './faces/index.ts';

export { passesQualityFilter } from './faces/index.ts';

/** An engine face as the matcher reports it: box as ratios, confidence 0-100. */
export function toDetectedFace(face: AnalyzedFace, analysis: Pick<ImageAnalysis, 'width' | 'height'>): DetectedFace {
  return {
    boundingBox: {
      left: face.box.x / analysis.width,
      top: face.box.y / analysis.height,
      width: face.box.width / analysis.width,
      height: face.box.height / analysis.height,
    },
    confidence: Math.min(100, Math.max(0, face.confidence * 100)),
    quality: { brightness: face.quality.brightness, sharpness: face.quality.sharpness },
    pose: { roll: face.pose.roll, yaw: face.pose.yaw, pitch: face.pose.pitch },
  };
}

/** The main face (`main-face.ts`) among `faces` of `analysis`, or undefined if there are none. */
export function mainFace(faces: readonly AnalyzedFace[], analysis: Pick<ImageAnalysis, 'width' | 'height'>): AnalyzedFace | undefined {
  return faces[mainFaceIndex(faces.map((face) => toDetectedFace(face, analysis).boundingBox))];
}

/** The offline matcher. Holds no state besides the engine; safe to call concurrently. */
export class OfflineFaceMatcher implements FaceMatcher {
  constructor(private readonly engine: FaceEngine) {}

  /** Every face in the image, largest first (faces below 40 px still count, as in Rekognition). */
  async detectFaces(image: Uint8Array): Promise<DetectedFace[]> {
    const analysis = await this.analyze(image, 'image');
    return analysis.faces.map((face) => toDetectedFace(face, analysis));
  }

  /**
   * Compares the main face of `source` with the main face of `target`, among the faces that pass
   * the quality filter (`main-face.ts`; the others are ignored, as a second face on an ID must not
   * stand in for its subject). Rekognition compares the largest face of the source; the two differ
   * only when a bystander is larger than the subject, and a selfie must show one face anyway
   * (the verify function checks it). Both images are analyzed in parallel (two workers).
   */
  async compareFaces(source: Uint8Array, target: Uint8Array, options: CompareOptions = {}): Promise<FaceComparison> {
    const filter = options.qualityFilter ?? 'NONE';
    // Settle both before reporting, so a failure of one does not leave the other unobserved.
    const [sourceResult, targetResult] = await Promise.allSettled([this.analyze(source, 'source'), this.analyze(target, 'target')]);
    if (sourceResult.status === 'rejected') throw sourceResult.reason;
    if (targetResult.status === 'rejected') throw targetResult.reason;
    const sourceAnalysis = sourceResult.value;
    const targetAnalysis = targetResult.value;

    const sourceFace = mainFace(
      sourceAnalysis.faces.filter((face) => passesQualityFilter(face, filter)),
      sourceAnalysis,
    );
    if (!sourceFace) throw new FaceMatchError('NO_FACE_IN_SOURCE', noFaceMessage('source', sourceAnalysis, filter));
    const targetFace = mainFace(
      targetAnalysis.faces.filter((face) => passesQualityFilter(face, filter)),
      targetAnalysis,
    );
    if (!targetFace) throw new FaceMatchError('NO_FACE_IN_TARGET', noFaceMessage('target', targetAnalysis, filter));
    return {
      similarity: this.engine.similarity(sourceFace.descriptor, targetFace.descriptor),
      sourceFace: toDetectedFace(sourceFace, sourceAnalysis),
      targetFace: toDetectedFace(targetFace, targetAnalysis),
      sourceImage: { width: sourceAnalysis.width, height: sourceAnalysis.height },
      targetImage: { width: targetAnalysis.width, height: targetAnalysis.height },
    };
  }

  /** Analyzes, turning engine errors into `FaceMatchError`s. */
  private async analyze(image: Uint8Array, which: 'source' | 'target' | 'image'): Promise<ImageAnalysis> {
    try {
      return await this.engine.analyze(image);
    } catch (err) {
      if (err instanceof ImageTooLargeError) throw new FaceMatchError('IMAGE_TOO_LARGE', `the ${which} image is too large: ${err.message}`, { cause: err });
      if (err instanceof ImageDecodeError) throw new FaceMatchError('INVALID_IMAGE', `the ${which} image could not be read: ${err.message}`, { cause: err });
      throw new FaceMatchError('UNAVAILABLE', `the face engine failed on the ${which} image: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

function noFaceMessage(which: 'source' | 'target', analysis: ImageAnalysis, filter: string): string {
  if (analysis.faces.length === 0) return `no face found in the ${which} image`;
  return `no face in the ${which} image passes the ${filter} quality filter (${analysis.faces.length} found)`;
}
