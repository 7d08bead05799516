/**
 * Face matching behind one interface. Two real backends implement it with the same result
 * shape: Amazon Rekognition (`rekognition.ts`, what the verify function calls, in AWS and
 * locally, where the endpoint is the offline matcher's Rekognition-compatible service) and the
 * offline matcher itself (`local/faces/`), which the CLI and benchmarks call directly.
 */

/** A box as ratios of the image's width and height (0-1), as Rekognition reports it. */
export interface BoundingBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** How usable a face is for matching, each 0-100 (higher is better). */
export interface FaceQuality {
  brightness: number;
  sharpness: number;
}

/** A facial landmark as ratios of the image's width and height, named as Rekognition names it (`eyeLeft`, `mouthRight`, ...). */
export interface Landmark {
  type: string;
  x: number;
  y: number;
}

/** Head pose in degrees, as Rekognition reports it (0, 0, 0 faces the camera squarely). */
export interface FacePose {
  roll: number;
  yaw: number;
  pitch: number;
}

/** One face found in an image. */
export interface DetectedFace {
  boundingBox: BoundingBox;
  /** Detector confidence that this is a face, 0-100. */
  confidence: number;
  quality: FaceQuality;
  /** Head pose, where the backend reports it (CompareFaces does for target faces, not for the source face). */
  pose?: FacePose;
  /** Eyes, nose and mouth corners at least, when the backend reports them (CompareFaces does not for the source face). */
  landmarks?: Landmark[];
}

/** Width and height of an image in pixels, as shown (after EXIF orientation). */
export interface ImageSize {
  width: number;
  height: number;
}

/** The outcome of comparing the face in `source` with the faces in `target`. */
export interface FaceComparison {
  /** Similarity of the best-matching target face to the source face, 0-100 (Rekognition's scale). */
  similarity: number;
  /** The largest face of the source image: the one compared. */
  sourceFace: DetectedFace;
  /** The main face of the target image (`main-face.ts`): the one compared; other faces there are ignored. */
  targetFace: DetectedFace;
  /** Sizes of the two images, where known, so a face's size in pixels can be judged. */
  sourceImage?: ImageSize;
  targetImage?: ImageSize;
}

/** Options of one comparison. */
export interface CompareOptions {
  /**
   * Rekognition's QualityFilter: faces below this quality are not compared (`NONE` compares all).
   * The offline matcher applies its own quality measure with the same names.
   */
  qualityFilter?: 'NONE' | 'AUTO' | 'LOW' | 'MEDIUM' | 'HIGH';
}

/** What a backend can do. Images are JPEG or PNG bytes that passed `checkImage` first. */
export interface FaceMatcher {
  /** Every face in the image, largest first. */
  detectFaces(image: Uint8Array): Promise<DetectedFace[]>;
  /** Compares the largest face of `source` with the main face of `target` (`main-face.ts`). */
  compareFaces(source: Uint8Array, target: Uint8Array, options?: CompareOptions): Promise<FaceComparison>;
}

/** Stable codes of `FaceMatchError`, each mapped by the verify function to what a person sees. */
export type FaceMatchErrorCode =
  /** No (usable) face in the source image (the selfie). */
  | 'NO_FACE_IN_SOURCE'
  /** No (usable) face in the target image (the ID document). */
  | 'NO_FACE_IN_TARGET'
  /** The backend could not read the image. */
  | 'INVALID_IMAGE'
  /** The image is larger than the backend accepts. */
  | 'IMAGE_TOO_LARGE'
  /** Still throttled after the retries: try again shortly. */
  | 'THROTTLED'
  /** The backend refused us (permissions, configuration): an operator must look. */
  | 'ACCESS_DENIED'
  /** The backend failed: try again later. */
  | 'UNAVAILABLE';

/** A comparison or detection that could not give an answer, with a stable code. */
export class FaceMatchError extends Error {
  override readonly name = 'FaceMatchError';
  constructor(
    readonly code: FaceMatchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
