/**
 * The `FaceMatcher` the verify function uses: Amazon Rekognition DetectFaces and CompareFaces,
 * images sent as bytes. Locally the same code talks to the offline matcher's
 * Rekognition-compatible endpoint (`local/aws/rekognition/rekognition.ts`) through
 * `AWS_ENDPOINT_URL_REKOGNITION`.
 */
import {
  CompareFacesCommand,
  DetectFacesCommand,
  RekognitionClient,
  type BoundingBox as RekognitionBox,
  type RekognitionClientConfig,
} from '@aws-sdk/client-rekognition';
import {
  FaceMatchError,
  type CompareOptions,
  type DetectedFace,
  type FaceComparison,
  type FaceMatcher,
  type FaceMatchErrorCode,
  type ImageSize,
} from './face-matcher.ts';
import { rekognition } from '../../shared/aws-clients.ts';
import { DENIED, errorName, retryPolicy, THROTTLING, withRetries, type RetryPolicy } from '../aws-retries.ts';
import { mainFaceIndex } from './main-face.ts';
import { checkImage } from '../images.ts';

export type { RetryPolicy };

/** Options of {@link RekognitionFaceMatcher}. */
export interface RekognitionFaceMatcherOptions {
  /**
   * A ready client. Without it, and without `clientConfig`, the function's one Rekognition client
   * is used (`aws-clients.ts`, `maxAttempts: 1`). Give it `maxAttempts: 1`, or its SDK retries
   * multiply ours.
   */
  client?: RekognitionClient;
  /** Configuration of a client made for this matcher (endpoint, region, credentials). */
  clientConfig?: RekognitionClientConfig;
  /** Default: 4 attempts, backoff ceilings 100, 200, 400 ms (capped at 2 s), full jitter. */
  retry?: RetryPolicy;
  /**
   * CompareFaces answers "no face in source or target" with one InvalidParameterException that
   * (in AWS) does not say which image. When the message does not say, and this is on (default),
   * DetectFaces is asked about each image, as AWS recommends; off, the answer is NO_FACE_IN_SOURCE.
   */
  probeAmbiguousNoFace?: boolean;
}

/** `FaceMatcher` over Amazon Rekognition (or anything that speaks its API). */
export class RekognitionFaceMatcher implements FaceMatcher {
  private readonly client: RekognitionClient;
  private readonly retry: Required<RetryPolicy>;
  private readonly probe: boolean;

  constructor(options: RekognitionFaceMatcherOptions = {}) {
    this.client =
      options.client ??
      (options.clientConfig ? new RekognitionClient({ ...options.clientConfig, maxAttempts: options.clientConfig.maxAttempts ?? 1 }) : rekognition());
    this.retry = retryPolicy(options.retry);
    this.probe = options.probeAmbiguousNoFace ?? true;
  }

  /** Every face in the image, largest first. */
  async detectFaces(image: Uint8Array): Promise<DetectedFace[]> {
    const output = await this.call('DetectFaces', () =>
      this.client.send(new DetectFacesCommand({ Image: { Bytes: image }, Attributes: ['DEFAULT'] })),
    );
    return (output.FaceDetails ?? [])
      .map((face) => toDetectedFace(face))
      .sort((a, b) => area(b.boundingBox) - area(a.boundingBox));
  }

  /**
   * Compares the largest face of `source` with the main face of `target` (`main-face.ts`: another
   * face on the ID or the reference image must not stand in for its subject). `SimilarityThreshold:
   * 0` so that Rekognition returns the score of every compared face and our policy decides.
   */
  async compareFaces(source: Uint8Array, target: Uint8Array, options: CompareOptions = {}): Promise<FaceComparison> {
    const qualityFilter = options.qualityFilter ?? 'AUTO';
    let output;
    try {
      output = await this.call('CompareFaces', () =>
        this.client.send(
          new CompareFacesCommand({
            SourceImage: { Bytes: source },
            TargetImage: { Bytes: target },
            SimilarityThreshold: 0,
            QualityFilter: qualityFilter,
          }),
        ),
      );
    } catch (error) {
      if (error instanceof FaceMatchError && error.code === 'INVALID_IMAGE' && isInvalidParameter(error.cause)) {
        throw await this.whichHasNoFace(error.cause, source, target);
      }
      throw error;
    }
    // With threshold 0 every compared target face is in FaceMatches: none means none passed the filter.
    const matches = (output.FaceMatches ?? []).filter((m) => m.Face);
    const main = matches[mainFaceIndex(matches.map((m) => toBox(m.Face?.BoundingBox)))];
    if (!main?.Face) throw new FaceMatchError('NO_FACE_IN_TARGET', `no usable face in the target image (QualityFilter ${qualityFilter})`);
    return {
      similarity: main.Similarity ?? 0,
      sourceFace: {
        boundingBox: toBox(output.SourceImageFace?.BoundingBox),
        confidence: output.SourceImageFace?.Confidence ?? 0,
        // CompareFaces reports no quality for the source face; NaN says "not measured" (detectFaces measures it).
        quality: { brightness: Number.NaN, sharpness: Number.NaN },
      },
      targetFace: toDetectedFace(main.Face),
      sourceImage: sizeOf(source),
      targetImage: sizeOf(target),
    };
  }

  /** Names the image without a face after an InvalidParameterException from CompareFaces. */
  private async whichHasNoFace(cause: Error, source: Uint8Array, target: Uint8Array): Promise<FaceMatchError> {
    // The local endpoint says "no face ... in the source image"; AWS says "Request has invalid parameters".
    const aboutFaces = /\bfaces?\b/i.test(cause.message);
    const said = !aboutFaces ? undefined : /\bsource\b/i.test(cause.message) ? 'SOURCE' : /\btarget\b/i.test(cause.message) ? 'TARGET' : undefined;
    const noFace = (code: 'NO_FACE_IN_SOURCE' | 'NO_FACE_IN_TARGET', why: string) => new FaceMatchError(code, why, { cause });
    if (said === 'SOURCE') return noFace('NO_FACE_IN_SOURCE', `no usable face in the source image: ${cause.message}`);
    if (said === 'TARGET') return noFace('NO_FACE_IN_TARGET', `no usable face in the target image: ${cause.message}`);
    if (this.probe) {
      try {
        if ((await this.detectFaces(source)).length === 0) return noFace('NO_FACE_IN_SOURCE', 'no face in the source image');
        if ((await this.detectFaces(target)).length === 0) return noFace('NO_FACE_IN_TARGET', 'no face in the target image');
      } catch {
        // The probe is a courtesy; its failure must not hide the comparison's own answer.
      }
    }
    // Both have faces (so one was below the quality bar) or we could not tell: the source is what
    // Rekognition refuses outright, the largest face of the selfie.
    return noFace('NO_FACE_IN_SOURCE', `no usable face in the source image (Rekognition: ${cause.message})`);
  }

  /** Runs one Rekognition call with the retry policy and turns its failure into a FaceMatchError. */
  private call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return withRetries(this.retry, send, (error, attempts) => toFaceMatchError(operation, error, attempts));
  }
}

function isInvalidParameter(error: unknown): error is Error {
  return error instanceof Error && error.name === 'InvalidParameterException';
}

function toFaceMatchError(operation: string, error: unknown, attempts: number): FaceMatchError {
  const name = errorName(error) || 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const code: FaceMatchErrorCode = THROTTLING.has(name)
    ? 'THROTTLED'
    : DENIED.has(name)
      ? 'ACCESS_DENIED'
      : name === 'ImageTooLargeException'
        ? 'IMAGE_TOO_LARGE'
        : // DetectFaces says InvalidParameterException for an image it will not take (under 80 px);
          // CompareFaces says it for "no face", which compareFaces resolves from this code.
          name === 'InvalidImageFormatException' || name === 'InvalidParameterException'
          ? 'INVALID_IMAGE'
          : 'UNAVAILABLE';
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new FaceMatchError(code, `Rekognition ${operation} failed${after}: ${name}: ${message}`, { cause: error });
}

function toDetectedFace(face: {
  BoundingBox?: RekognitionBox;
  Confidence?: number;
  Quality?: { Brightness?: number; Sharpness?: number };
  Pose?: { Roll?: number; Yaw?: number; Pitch?: number };
  Landmarks?: { Type?: string; X?: number; Y?: number }[];
}): DetectedFace {
  return {
    boundingBox: toBox(face.BoundingBox),
    confidence: face.Confidence ?? 0,
    quality: { brightness: face.Quality?.Brightness ?? 0, sharpness: face.Quality?.Sharpness ?? 0 },
    pose: face.Pose && { roll: face.Pose.Roll ?? 0, yaw: face.Pose.Yaw ?? 0, pitch: face.Pose.Pitch ?? 0 },
    landmarks: face.Landmarks?.flatMap((l) => (l.Type && typeof l.X === 'number' && typeof l.Y === 'number' ? [{ type: l.Type, x: l.X, y: l.Y }] : [])),
  };
}

/** The image's size as shown, from its header; undefined when the header cannot be read. */
function sizeOf(bytes: Uint8Array): ImageSize | undefined {
  try {
    const { width, height } = checkImage(bytes);
    return { width, height };
  } catch {
    return undefined;
  }
}

function toBox(box: RekognitionBox | undefined) {
  return { left: box?.Left ?? 0, top: box?.Top ?? 0, width: box?.Width ?? 0, height: box?.Height ?? 0 };
}

function area(box: { width: number; height: number }): number {
  return box.width * box.height;
}
