/**
 * What a submit is judged on, read before the session moves: the image the live face is compared
 * with (the ID photo, or the user's reference face) and the liveness result, read from Rekognition
 * by the server. Failures here cost no attempt: the session stays as it was.
 */
import { getUser } from '../shared/users.ts';
import { readObject } from '../shared/uploads.ts';
import type { VerificationContext } from './context.ts';
import { VerificationError } from './errors.ts';
import { imageKeys } from './image-keys.ts';
import { checkImage, InvalidImageError, type CheckedImage } from './images.ts';
import { LivenessError, type LivenessResult } from './liveness/liveness.ts';
import type { SessionRecord } from './sessions.ts';
import { MAX_IMAGE_BYTES } from './validate.ts';

/** An image as read and checked (format, size, pixels). */
export interface CheckedBytes {
  bytes: Uint8Array;
  info: CheckedImage;
}

/** What the live face is compared with; undefined when there is nothing (unknown or inactive user). */
export type ComparisonTarget = CheckedBytes | undefined;

/** The liveness session a submit reads, and what Rekognition says of it. */
export type LivenessReading =
  /** Finished (live or not): the submit goes on and uses the liveness session up. */
  | { kind: 'finished'; livenessSessionId: string; result: LivenessResult }
  /** Past its 3 minutes, or forgotten by Rekognition: void, start a new one. */
  | { kind: 'expired'; livenessSessionId: string };

/** The ID photo (onboarding) or the user's reference face (face sign-in). */
export async function comparisonTarget(context: VerificationContext, session: SessionRecord): Promise<ComparisonTarget> {
  if (session.kind === 'ONBOARDING') {
    const id = await readImage(context, imageKeys.idDocument(session.id), 'ID photo');
    if (!id) throw new VerificationError('ValidationError', 'Upload the photo of your ID first.', { missing: 'ID_DOCUMENT' });
    return { bytes: id, info: checked(id, 'ID photo') };
  }
  // An unknown, inactive or never-verified user fails as a mismatch would: nothing tells them apart.
  const user = session.userId ? await getUser(context.tables.users, session.userId) : undefined;
  const face = user?.status === 'ACTIVE' && user.referenceFaceKey ? await readImage(context, user.referenceFaceKey, 'reference face') : undefined;
  return face ? { bytes: face, info: checked(face, 'reference face') } : undefined;
}

/** The session's liveness check as Rekognition has it; refuses (no attempt) when there is none to judge yet. */
export async function readLiveness(context: VerificationContext, session: SessionRecord): Promise<LivenessReading> {
  const livenessSessionId = session.livenessSessionId;
  if (!livenessSessionId) throw new VerificationError('ValidationError', 'Run the liveness check first (startLivenessCheck), then submit.', { missing: 'LIVENESS' });
  if ((session.livenessExpiresAt ?? 0) * 1000 <= context.now().getTime()) return { kind: 'expired', livenessSessionId };
  let result: LivenessResult;
  try {
    result = await context.liveness.result(livenessSessionId);
  } catch (error) {
    if (error instanceof LivenessError && error.code === 'SESSION_NOT_FOUND') return { kind: 'expired', livenessSessionId };
    if (error instanceof LivenessError) {
      throw new VerificationError('ServiceUnavailable', 'The liveness result cannot be read right now: submit again in a moment. No attempt was counted.', { reason: error.code });
    }
    throw error;
  }
  if (result.status === 'EXPIRED') return { kind: 'expired', livenessSessionId };
  if (result.status === 'CREATED' || result.status === 'IN_PROGRESS') {
    throw new VerificationError('ValidationError', 'The liveness check is not finished yet: finish it, then submit.', { missing: 'LIVENESS', livenessStatus: result.status });
  }
  return { kind: 'finished', livenessSessionId, result };
}

/** At most 5 MB (Rekognition's limit); larger is refused before it is all downloaded. */
export async function readImage(context: VerificationContext, key: string, what: string): Promise<Uint8Array | undefined> {
  try {
    return await readObject(context.bucket, key, MAX_IMAGE_BYTES);
  } catch (error) {
    if (error instanceof Error && error.name === 'ObjectTooLargeError') {
      throw new VerificationError('InvalidImage', `The ${what} is larger than 5 MB: take a smaller photo.`, { reason: 'TOO_LARGE' });
    }
    throw error;
  }
}

/** The image checks of `images.ts`, refused as `InvalidImage` with their stable code. */
export function checked(bytes: Uint8Array, what: string): CheckedImage {
  try {
    return checkImage(bytes);
  } catch (error) {
    if (error instanceof InvalidImageError) throw new VerificationError('InvalidImage', `The ${what}: ${error.message}`, { reason: error.code });
    throw error;
  }
}
