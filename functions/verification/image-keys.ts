import { api } from '../../api/definition.ts';

const { uploadsPrefix, facesPrefix } = api.images;

/**
 * Where images live in the bucket. Keys are chosen here, never by a client. Everything of one
 * session sits under the description's uploads prefix, `uploads/<session>/` (the ID photo, and
 * what Rekognition Face Liveness stores there: reference and audit images), which the bucket's
 * lifecycle rule empties after a day whatever else happens, and which ending the session deletes
 * at once; the bucket grants functions the uploads and faces prefixes and nothing else.
 */
export const imageKeys = {
  /** Everything of one session; ending it deletes this prefix. */
  sessionPrefix: (sessionId: string) => `${uploadsPrefix}${sessionId}/`,
  /** The ID photo, uploaded by the browser with a presigned PUT. */
  idDocument: (sessionId: string) => `${uploadsPrefix}${sessionId}/id-document`,
  /** Where Rekognition stores the images of the session's liveness checks (it names the keys below). */
  livenessOutput: (sessionId: string) => `${uploadsPrefix}${sessionId}/liveness/`,
  /** The live reference image kept after verification, for face sign-in. */
  referenceFace: (userId: string) => `${facesPrefix}${userId}/reference`,
};

/** Whether `key` is one of this session's liveness images (Rekognition's answer is checked, not trusted blindly). */
export function isLivenessImageOf(sessionId: string, key: string): boolean {
  return key.startsWith(imageKeys.livenessOutput(sessionId)) && !key.includes('..');
}
