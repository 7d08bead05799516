/**
 * DetectFaces and CompareFaces, answered from the offline `FaceEngine` in Rekognition's shapes and
 * with Rekognition's errors. Images come as base64 `Bytes` only.
 */
import { passesQualityFilter, type QualityFilter } from '../../faces/quality-filter.ts';
import { ImageDecodeError, type AnalyzedFace, type FaceEngine, type ImageAnalysis } from '../../faces/types.ts';
import { invalidParameter, RekognitionError } from './errors.ts';
import { imageInputProblem } from './image-input.ts';

/** Rekognition's QualityFilter values (the same names `FaceMatcher` takes). */
export type { QualityFilter };

const FILTERS = new Set<QualityFilter>(['NONE', 'AUTO', 'LOW', 'MEDIUM', 'HIGH']);

/** The face operations, by name, for the JSON endpoint's dispatch. */
export function faceOperations(engine: FaceEngine): Record<string, (request: any) => Promise<unknown>> {
  return {
    async DetectFaces(request) {
      const attributes = request.Attributes ?? ['DEFAULT'];
      if (!Array.isArray(attributes) || attributes.some((a) => typeof a !== 'string')) throw invalidParameter('Attributes must be a list of strings');
      // ALL and single attributes are accepted; the engine has no age, emotions and the like, so
      // every request gets the DEFAULT set: BoundingBox, Confidence, Landmarks, Pose, Quality.
      const analysis = await analyze(engine, readImage(request.Image, 'Image'));
      return { FaceDetails: analysis.faces.map((face) => comparedFace(face, analysis)) };
    },

    async CompareFaces(request) {
      const threshold = request.SimilarityThreshold ?? 80;
      if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 100)) throw invalidParameter('SimilarityThreshold must be between 0 and 100');
      const filter: QualityFilter = request.QualityFilter ?? 'NONE';
      if (!FILTERS.has(filter)) throw invalidParameter(`QualityFilter must be one of ${[...FILTERS].join(', ')}`);
      const sourceBytes = readImage(request.SourceImage, 'SourceImage');
      const targetBytes = readImage(request.TargetImage, 'TargetImage');
      const [source, target] = await Promise.all([analyze(engine, sourceBytes), analyze(engine, targetBytes)]);

      if (source.faces.length === 0) throw invalidParameter('no face was detected in the source image');
      if (target.faces.length === 0) throw invalidParameter('no face was detected in the target image');
      // Filtered faces are not compared: the largest face that passes the bar is the source face.
      const sourceFace = largest(source.faces.filter((f) => passesQualityFilter(f, filter)));
      if (!sourceFace) throw invalidParameter(`no face in the source image passed QualityFilter ${filter}`);
      const targets = target.faces
        .filter((f) => passesQualityFilter(f, filter))
        .sort((a, b) => area(b) - area(a))
        .slice(0, 100)
        .map((face) => ({ face, similarity: clamp(engine.similarity(sourceFace.descriptor, face.descriptor)) }));
      const matches = targets.filter((t) => t.similarity >= threshold).sort((a, b) => b.similarity - a.similarity);
      return {
        SourceImageFace: { BoundingBox: boundingBox(sourceFace, source), Confidence: percent(sourceFace.confidence) },
        FaceMatches: matches.map((m) => ({ Similarity: m.similarity, Face: comparedFace(m.face, target) })),
        UnmatchedFaces: targets.filter((t) => t.similarity < threshold).map((t) => comparedFace(t.face, target)),
      };
    },
  };
}

/** The image's bytes, checked as Rekognition checks them before looking for faces. */
function readImage(image: unknown, field: string): Uint8Array {
  const value = image as { Bytes?: unknown; S3Object?: unknown } | undefined;
  if (value?.S3Object !== undefined) throw invalidParameter(`${field}: the local Rekognition takes images as Bytes only`);
  if (typeof value?.Bytes !== 'string') throw invalidParameter(`${field}.Bytes is required`);
  const bytes = Buffer.from(value.Bytes, 'base64');
  const problem = imageInputProblem(bytes);
  if (problem?.exception === 'InvalidParameterException') throw invalidParameter(`${field}: ${problem.message}`);
  if (problem) throw new RekognitionError(problem.exception, problem.message);
  return bytes;
}

async function analyze(engine: FaceEngine, bytes: Uint8Array): Promise<ImageAnalysis> {
  try {
    return await engine.analyze(bytes);
  } catch (error) {
    if ((error as { tooLarge?: unknown }).tooLarge === true) throw new RekognitionError('ImageTooLargeException', 'Image dimensions are too large.');
    if (error instanceof ImageDecodeError || (error as Error | undefined)?.name === 'ImageDecodeError') {
      throw new RekognitionError('InvalidImageFormatException', 'Request has invalid image format');
    }
    throw error;
  }
}


/** A face as Rekognition's ComparedFace / FaceDetail (DEFAULT attributes), positions as ratios of the image. */
function comparedFace(face: AnalyzedFace, image: ImageAnalysis) {
  return {
    BoundingBox: boundingBox(face, image),
    Confidence: percent(face.confidence),
    Landmarks: face.landmarks.map((l) => ({ Type: l.type, X: l.x / image.width, Y: l.y / image.height })),
    Pose: { Roll: face.pose.roll, Yaw: face.pose.yaw, Pitch: face.pose.pitch },
    Quality: { Brightness: face.quality.brightness, Sharpness: face.quality.sharpness },
  };
}

/** Ratios, not clamped: like Rekognition's, a box may reach past the edge for a face cut by it. */
function boundingBox(face: AnalyzedFace, image: ImageAnalysis) {
  return { Width: face.box.width / image.width, Height: face.box.height / image.height, Left: face.box.x / image.width, Top: face.box.y / image.height };
}

function largest(faces: AnalyzedFace[]): AnalyzedFace | undefined {
  return faces.reduce<AnalyzedFace | undefined>((best, f) => (!best || area(f) > area(best) ? f : best), undefined);
}

function area(face: AnalyzedFace): number {
  return face.box.width * face.box.height;
}

function percent(score: number): number {
  return Math.min(100, Math.max(0, score * 100));
}

function clamp(similarity: number): number {
  return Math.min(100, Math.max(0, similarity));
}

