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

/** A video frame: RGB, row-major, 3 bytes per pixel. */
export interface RawFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What to compute for each face of a frame beyond finding it. */
export interface FrameOptions {
  /** Landmarks, the face descriptor and quality (~50 ms a face): for identity checks and reference images. */
  descriptors?: boolean;
  /** Human's antispoof and liveness scores (small models, a few ms a face). */
  passive?: boolean;
}

/** A face in a video frame, in the frame's pixels. */
export interface FrameFace {
  box: { x: number; y: number; width: number; height: number };
  /** FaceMesh's confidence, 0-1. */
  confidence: number;
  /** Degrees. */
  pose: { yaw: number; pitch: number };
  /** Named points of the face mesh; left and right as the image shows them. */
  keypoints: {
    eyeImageLeft: { x: number; y: number };
    eyeImageRight: { x: number; y: number };
    noseTip: { x: number; y: number };
    mouthCenter: { x: number; y: number };
    earImageLeft: { x: number; y: number };
    earImageRight: { x: number; y: number };
  };
  /** With `descriptors`. */
  descriptor?: Float32Array;
  quality?: { brightness: number; sharpness: number };
  /** With `passive`: Human's antispoof and liveness scores, 0-1. */
  passive?: { antispoof: number; liveness: number };
}

/** Every face found in a frame, largest first. */
export interface FrameAnalysis {
  width: number;
  height: number;
  faces: FrameFace[];
}

/** The part of the engine that looks at video frames (the liveness stand-in takes this, as configuration). */
export interface FrameAnalyzer {
  analyzeFrame(frame: RawFrame, options?: FrameOptions): Promise<FrameAnalysis>;
  /** Similarity of two descriptors on Rekognition's 0-100 scale. */
  similarity(a: Float32Array, b: Float32Array): number;
}
