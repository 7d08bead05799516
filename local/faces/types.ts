/**
 * The offline face engine: a detector and two embedding models whose weights ship in npm
 * packages, on TensorFlow.js WASM and ONNX Runtime's WebAssembly build in worker threads. Two things sit on top of it: the offline `FaceMatcher`
 * (`offline-matcher.ts`) and the local Rekognition-compatible endpoint
 * (`local/aws/rekognition/rekognition.ts`) that the verify function calls when it runs locally.
 */

/** A face as the engine sees it, in pixels of the image after EXIF orientation. */
export interface AnalyzedFace {
  box: { x: number; y: number; width: number; height: number };
  /** Detector score, 0-1. */
  confidence: number;
  /** 0-100 each, higher is better. */
  quality: { brightness: number; sharpness: number };
  /** Facial landmarks in pixels, named as Rekognition names them where they correspond (eyeLeft, eyeRight, nose, mouthLeft, mouthRight). */
  landmarks: { type: string; x: number; y: number }[];
  /** Head pose in degrees. */
  pose: { roll: number; yaw: number; pitch: number };
  /**
   * The face's two embeddings joined (face-api's ResNet, then the ArcFace network: see
   * `similarity.ts`), compared with `FaceEngine.similarity`.
   */
  descriptor: Float32Array;
}

/** Everything the engine found in one image. */
export interface ImageAnalysis {
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  /** Largest first; at most 100 (Rekognition compares only the 100 largest faces). */
  faces: AnalyzedFace[];
}

/** The engine. Loaded once, kept warm; safe to call concurrently. */
export interface FaceEngine {
  /** Decodes (JPEG or PNG, EXIF orientation applied), detects and embeds every face. Throws `ImageDecodeError` for bytes it cannot decode. */
  analyze(image: Uint8Array): Promise<ImageAnalysis>;
  /** Similarity of two descriptors on Rekognition's 0-100 scale (see `similarity.ts` for the mapping). */
  similarity(a: Float32Array, b: Float32Array): number;
  /** Stops the workers. */
  close(): Promise<void>;
}

/** The image could not be decoded. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
}
