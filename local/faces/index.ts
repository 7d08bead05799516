/**
 * The offline face engine: face detection, landmarks, quality and a face descriptor from
 * TensorFlow.js (WASM) models shipped in npm packages, in worker threads. Knows nothing of
 * SecureTask; the local Rekognition answers from it. See README.md.
 */
export { createFaceEngine, FaceEngineError, type PooledFaceEngine } from './engine.ts';
export { descriptorSimilarity, RECOMMENDED_THRESHOLDS } from './similarity.ts';
export { passesQualityFilter, type QualityFilter } from './quality-filter.ts';
export { ImageTooLargeError } from './decode.ts';
export { ImageDecodeError, type AnalyzedFace, type FaceEngine, type FrameAnalyzer, type ImageAnalysis } from './types.ts';
