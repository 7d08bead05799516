import type { UploadPurpose } from './sessions.ts';

/**
 * Where images live in the bucket. Keys are chosen here, never by a client. Uploads sit under
 * `uploads/`, which the bucket's lifecycle rule empties after a day whatever else happens.
 */
export const imageKeys = {
  upload: (sessionId: string, purpose: UploadPurpose) => `uploads/${sessionId}/${purpose === 'ID_DOCUMENT' ? 'id-document' : 'selfie'}`,
  sessionUploads: (sessionId: string) => [imageKeys.upload(sessionId, 'ID_DOCUMENT'), imageKeys.upload(sessionId, 'SELFIE')],
  /** The selfie kept after verification, for face sign-in. */
  referenceFace: (userId: string) => `faces/${userId}/reference`,
};
