/**
 * The judgement of one submitted check, in the order that costs least: is the person live; is
 * the live image this session's own, new, and not a copy of the image it is compared with; do
 * the faces match (with the quality gate); does the ID hold up (read while the faces are
 * compared). It changes nothing but the record of a reference image's first use; applying the
 * outcome is `apply.ts`'s.
 */
import { writeObject } from '../shared/uploads.ts';
import type { VerificationContext } from './context.ts';
import { decide } from './decide.ts';
import { assessDocument, auditedDocument, type DocumentAssessment } from './documents/assess.ts';
import { VerificationError } from './errors.ts';
import { checked, readImage, type CheckedBytes, type ComparisonTarget } from './evidence.ts';
import { FaceMatchError, type DetectedFace, type FaceComparison } from './faces/face-matcher.ts';
import { imageKeys, isLivenessImageOf } from './image-keys.ts';
import type { LivenessResult } from './liveness/liveness.ts';
import { reasons, type RejectReason } from './messages.ts';
import { assessComparison, type QualityFinding } from './quality-gate.ts';
import { contentHash, recordFirstUse } from './replay/reference-hashes.ts';
import { samePicture } from './replay/same-picture.ts';
import type { SessionRecord } from './sessions.ts';

/** A live face counts when the detector is this sure (0-100)... */
const CLEAR_FACE_CONFIDENCE = 90;
/** ...and it is at least this many pixels wide (Rekognition's own minimum is about 40). */
const CLEAR_FACE_PIXELS = 40;

/** What the session keeps of a judged check, for review and for approval. */
export interface Evidence {
  livenessConfidence?: number;
  referenceImageKey?: string;
  auditImageKeys?: string[];
}

/** What the attempt's audit entry says besides the decision: the gate's problems and the ID's checks (never a value read). */
export type AttemptDetails = { quality?: QualityFinding[]; document?: Record<string, unknown>; livenessStatus?: string };

/** A check that passed every test but the last word, which the similarity has. */
interface Passed {
  similarity: number;
  evidence: Evidence;
  /** The live reference image: the reference face to keep on acceptance. */
  referenceImage: CheckedBytes;
  details: AttemptDetails;
}

/** What a submitted check comes to. */
export type Outcome =
  | ({ kind: 'ACCEPT' } & Passed)
  /** `document`: what was read from the ID, kept for the reviewer; `unreadableId`: why it waits. */
  | ({ kind: 'REVIEW' } & Passed & { document?: DocumentAssessment; unreadableId: boolean })
  /** Not this time, and it cost an attempt; a failed document check says what to do in `documentReason`. */
  | { kind: 'REJECT'; reason: RejectReason; similarity?: number; evidence: Evidence; details?: AttemptDetails; documentReason?: string }
  /** A picture that cannot be judged, or a service that did not answer: no attempt spent. */
  | { kind: 'REFUSE'; error: VerificationError; evidence: Evidence };

/** Judges the check of `session` (PROCESSING) from its liveness result and its comparison target. */
export async function judge(context: VerificationContext, session: SessionRecord, liveness: LivenessResult, target: ComparisonTarget): Promise<Outcome> {
  const evidence: Evidence = { livenessConfidence: liveness.confidence, auditImageKeys: ownKeys(session, liveness.auditImages) };
  const images = [liveness.referenceImage, ...liveness.auditImages];
  if (images.some((image) => image?.s3Object && !ownImage(context, session, image.s3Object))) {
    return { kind: 'REJECT', reason: 'LIVENESS_OTHER_SESSION', evidence: { livenessConfidence: liveness.confidence } };
  }
  const live = liveness.status === 'SUCCEEDED' && (liveness.confidence ?? 0) >= context.policy.livenessThreshold;
  if (!live) return { kind: 'REJECT', reason: 'LIVENESS_FAILED', evidence, details: { livenessStatus: liveness.status } };

  let reference: Awaited<ReturnType<typeof referenceImage>>;
  try {
    reference = await referenceImage(context, session, liveness);
  } catch (error) {
    if (error instanceof VerificationError) return { kind: 'REFUSE', error, evidence };
    throw error;
  }
  if (!reference) return { kind: 'REFUSE', error: noFace(), evidence };
  evidence.referenceImageKey = reference.key;
  const expiresAt = Math.floor(context.now().getTime() / 1000) + context.policy.recordDays * 24 * 3600;
  if (!(await recordFirstUse(context.tables.livenessReferences, contentHash(reference.bytes), session.id, expiresAt))) {
    return { kind: 'REJECT', reason: 'REFERENCE_IMAGE_REUSED', evidence };
  }

  let faces: DetectedFace[];
  let comparison: FaceComparison | undefined;
  let document: DocumentAssessment | undefined;
  try {
    // The ID is read while the faces are compared: together they take as long as the slower one.
    [faces, comparison, document] = await Promise.all([
      context.matcher.detectFaces(reference.bytes),
      target ? context.matcher.compareFaces(reference.bytes, target.bytes, { qualityFilter: context.policy.qualityFilter }) : Promise.resolve(undefined),
      assessDocument(context, session, target?.bytes),
    ]);
  } catch (error) {
    return { kind: 'REFUSE', error: asRefusal(error, session.kind), evidence };
  }
  const face = oneClearFace(faces, reference.info.width);
  if (face instanceof VerificationError) return { kind: 'REFUSE', error: face, evidence };

  const similarity = comparison?.similarity ?? 0;
  const quality = comparison && context.policy.qualityGate ? assessComparison(comparison, context.policy.qualityGate) : [];
  const details: AttemptDetails = { ...(quality.length ? { quality } : {}), ...(document ? { document: auditedDocument(document) } : {}) };
  const faceDecision = decide(similarity, context.policy, session.kind, quality);
  // Faces first: a different person is told so.
  if (faceDecision === 'REJECT') return { kind: 'REJECT', reason: 'NO_MATCH', similarity, evidence, details };
  // Only a check that would pass needs it: the live image must not be the very picture it matched.
  if (target && comparison && (await samePicture({ ...reference, face }, { ...target, face: comparison.targetFace }))) {
    return { kind: 'REJECT', reason: session.kind === 'ONBOARDING' ? 'SAME_PICTURE_AS_ID' : 'SAME_PICTURE_AS_REFERENCE_FACE', similarity, evidence, details };
  }
  // A matching face with a document that clearly fails is a retry with the document's reason; one
  // whose document could not be read waits for a reviewer.
  const failed = document?.verdict.outcome === 'FAIL' ? document.verdict.failed : undefined;
  if (failed) {
    const documentReason = failed === 'MINIMUM_AGE' ? reasons.document.MINIMUM_AGE(context.policy.minimumAge) : reasons.document[failed];
    return { kind: 'REJECT', reason: 'DOCUMENT', similarity, evidence, details, documentReason };
  }
  const unreadableId = faceDecision === 'ACCEPT' && document?.verdict.outcome === 'UNREADABLE';
  const passed = { similarity, evidence, referenceImage: reference, details };
  return faceDecision === 'ACCEPT' && !unreadableId ? { kind: 'ACCEPT', ...passed } : { kind: 'REVIEW', ...passed, document, unreadableId };
}

/**
 * The reference image of the check: from the bucket, where Rekognition stored it under the
 * session's prefix; from the answer's bytes (kept under that prefix too) when it sent no object.
 */
async function referenceImage(context: VerificationContext, session: SessionRecord, liveness: LivenessResult): Promise<(CheckedBytes & { key: string }) | undefined> {
  const image = liveness.referenceImage;
  if (image?.s3Object) {
    const bytes = await readImage(context, image.s3Object.key, 'image from the liveness check');
    return bytes && { bytes, info: checked(bytes, 'image from the liveness check'), key: image.s3Object.key };
  }
  if (!image?.bytes) return undefined;
  const info = checked(image.bytes, 'image from the liveness check');
  const key = `${imageKeys.livenessOutput(session.id)}${liveness.sessionId}/reference.${info.format === 'png' ? 'png' : 'jpg'}`;
  await writeObject(context.bucket, key, image.bytes, info.format === 'png' ? 'image/png' : 'image/jpeg');
  return { bytes: image.bytes, info, key };
}

function ownImage(context: VerificationContext, session: SessionRecord, object: { bucket: string; key: string }): boolean {
  return object.bucket === context.bucket && isLivenessImageOf(session.id, object.key);
}

function ownKeys(session: SessionRecord, images: LivenessResult['auditImages']): string[] {
  return images.flatMap((image) => (image.s3Object && isLivenessImageOf(session.id, image.s3Object.key) ? [image.s3Object.key] : []));
}

/** The one clear face of the live image, or the refusal that says why there is none. */
function oneClearFace(faces: DetectedFace[], imageWidth: number): DetectedFace | VerificationError {
  const clear = faces.filter((f) => f.confidence >= CLEAR_FACE_CONFIDENCE && f.boundingBox.width * imageWidth >= CLEAR_FACE_PIXELS);
  if (clear.length === 0) return noFace();
  if (clear.length > 1) return new VerificationError('InvalidImage', 'More than one face in the liveness check: make sure you are alone in front of the camera.', { reason: 'MORE_THAN_ONE_FACE' });
  return clear[0]!;
}

function noFace(): VerificationError {
  return new VerificationError('InvalidImage', 'No clear face in the liveness check: start a new one facing the camera in good light, with nothing covering your face.', { reason: 'NO_FACE' });
}

/** A comparison that gave no score, as the person should see it. */
function asRefusal(error: unknown, kind: SessionRecord['kind']): VerificationError {
  if (!(error instanceof FaceMatchError)) throw error;
  switch (error.code) {
    case 'NO_FACE_IN_SOURCE':
      return noFace();
    case 'NO_FACE_IN_TARGET':
      return kind === 'ONBOARDING'
        ? new VerificationError('InvalidImage', 'No clear face found on the ID: photograph the whole card, flat, without glare.', { reason: 'NO_FACE_ON_ID' })
        : new VerificationError('ServiceUnavailable', 'Your reference face could not be read: ask an administrator.');
    case 'INVALID_IMAGE':
      return new VerificationError('InvalidImage', 'The image could not be read: upload a JPEG or PNG photo.', { reason: 'CORRUPT' });
    case 'IMAGE_TOO_LARGE':
      return new VerificationError('InvalidImage', 'The image is too large: take a smaller photo.', { reason: 'TOO_LARGE' });
    default:
      return new VerificationError('ServiceUnavailable', 'Face matching is busy or unavailable: try again in a moment. No attempt was counted.', { reason: error.code });
  }
}
