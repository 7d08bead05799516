/**
 * Rekognition's QualityFilter (NONE, AUTO, LOW, MEDIUM, HIGH) on this engine's measures: a face
 * under any floor of the chosen level is not compared. One table for every offline path (the
 * offline matcher here; the local Rekognition endpoint keeps the same numbers).
 */
import type { AnalyzedFace } from './types.ts';

/** Rekognition's filter names. */
export type QualityFilter = 'NONE' | 'AUTO' | 'LOW' | 'MEDIUM' | 'HIGH';

/** The floors of one level: detector confidence 0-100, brightness and sharpness 0-100 (see quality.ts). */
export interface QualityFloor {
  confidence: number;
  brightness: number;
  sharpness: number;
}

/**
 * Placed from measurements over /work/shared/faces and degraded copies of a press photo:
 * - sharpness: sharp press photos 80-95, TV stills 40-90, ID-card faces 35-60 px wide 9-40 (they
 *   still match at 99+); Gaussian blur sigma 5 takes a photo to ~12, sigma 10 to ~3.5, where
 *   matching starts to fail (similarity 90 to itself).
 * - brightness: 30-80 on real photos; exposure cut to 25 % gives ~14 (still matches), to 8 % ~4.
 * - confidence: every real face in our sets scores 100; the detector keeps nothing under 80.
 *
 * LOW drops what is hardly a face (mush, near black). MEDIUM also drops faces as soft or dark as
 * the weakest far-away ID cards. HIGH keeps clear, well-lit faces only. AUTO is LOW: Rekognition
 * chooses its own bar, and ours must not refuse ID cards that match; the comparison should judge
 * them. The local Rekognition endpoint (local/aws/rekognition/rekognition.ts) uses this table too.
 */
export const QUALITY_FLOORS: Record<Exclude<QualityFilter, 'NONE'>, QualityFloor> = {
  LOW: { confidence: 80, brightness: 5, sharpness: 5 },
  AUTO: { confidence: 80, brightness: 5, sharpness: 5 },
  MEDIUM: { confidence: 85, brightness: 10, sharpness: 15 },
  HIGH: { confidence: 95, brightness: 20, sharpness: 30 },
};

/** Whether a face (confidence 0-1 as the engine reports it) passes `filter`. NONE passes everything. */
export function passesQualityFilter(face: Pick<AnalyzedFace, 'confidence' | 'quality'>, filter: QualityFilter = 'NONE'): boolean {
  if (filter === 'NONE') return true;
  const floor = QUALITY_FLOORS[filter];
  return face.confidence * 100 >= floor.confidence && face.quality.brightness >= floor.brightness && face.quality.sharpness >= floor.sharpness;
}
