/**
 * The quality gate: a comparison of faces too small, too blurred, too dark or too turned away is
 * not decided on its similarity. Such faces make both networks less sure (on lfw, genuine pairs
 * with a head tilted more than 20 degrees fell below the accept threshold 47 % of the time against
 * 6 % for the rest), so the number says less than usual: a person looks instead.
 *
 * A plain function over what CompareFaces returns (`FaceComparison`: each face's BoundingBox,
 * Quality and Pose, and the images' sizes), so AWS and the offline matcher are judged the same
 * way. A measure a backend does not report (Rekognition gives no Quality for the source face:
 * NaN) is not judged. Rekognition's Sharpness and Brightness are its own 0-100 measures and ours
 * (local/faces/quality.ts) only approximate them: the floors are set low enough for both.
 */
import type { QualityGatePolicy } from '../../api/verification-policy.ts';
import type { DetectedFace, FaceComparison, ImageSize } from './faces/face-matcher.ts';

/** Why a face failed the gate: stable codes for the audit log. */
export type QualityProblem = 'FACE_TOO_SMALL' | 'BLURRED' | 'TOO_DARK' | 'TURNED_AWAY' | 'TILTED';

/** The problems of one comparison, each with the image it was seen in; empty when it passes. */
export interface QualityFinding {
  image: 'source' | 'target';
  problem: QualityProblem;
}

/** Judges both faces of `comparison` against `gate`. */
export function assessComparison(comparison: FaceComparison, gate: QualityGatePolicy): QualityFinding[] {
  return [
    ...assessFace(comparison.sourceFace, comparison.sourceImage, gate).map((problem) => ({ image: 'source' as const, problem })),
    ...assessFace(comparison.targetFace, comparison.targetImage, gate).map((problem) => ({ image: 'target' as const, problem })),
  ];
}

/** The problems of one face (a comparison `>` or `<` with NaN is false, so unmeasured values pass). */
export function assessFace(face: DetectedFace, image: ImageSize | undefined, gate: QualityGatePolicy): QualityProblem[] {
  const problems: QualityProblem[] = [];
  if (image && face.boundingBox.width * image.width < gate.minFacePixels) problems.push('FACE_TOO_SMALL');
  if (face.quality.sharpness < gate.minSharpness) problems.push('BLURRED');
  if (face.quality.brightness < gate.minBrightness) problems.push('TOO_DARK');
  if (face.pose && Math.abs(face.pose.yaw) > gate.maxYawDegrees) problems.push('TURNED_AWAY');
  if (face.pose && Math.abs(face.pose.pitch) > gate.maxPitchDegrees) problems.push('TILTED');
  return problems;
}
