/**
 * Where images live in the bucket. Keys are chosen here, never by a client. Everything of one
 * session sits under `uploads/<session>/` (the ID photo, and what Rekognition Face Liveness
 * stores there: reference and audit images), which the bucket's lifecycle rule empties after a
 * day whatever else happens, and which ending the session deletes at once.
 */
export const imageKeys = {
  /** Everything of one session; ending it deletes this prefix. */
  sessionPrefix: (sessionId: string) => `uploads/${sessionId}/`,
  /** The ID photo, uploaded by the browser with a presigned PUT. */
  idDocument: (sessionId: string) => `uploads/${sessionId}/id-document`,
  /** Where Rekognition stores the images of the session's liveness checks (it names the keys below). */
  livenessOutput: (sessionId: string) => `uploads/${sessionId}/liveness/`,
  /** The live reference image kept after verification, for face sign-in. */
  referenceFace: (userId: string) => `faces/${userId}/reference`,
};

/** Whether `key` is one of this session's liveness images (Rekognition's answer is checked, not trusted blindly). */
export function isLivenessImageOf(sessionId: string, key: string): boolean {
  return key.startsWith(imageKeys.livenessOutput(sessionId)) && !key.includes('..');
}
