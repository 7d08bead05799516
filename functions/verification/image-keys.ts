import { api } from '../../api/definition.ts';
import type { UploadPurpose } from './sessions.ts';

const { uploadsPrefix, facesPrefix } = api.images;

/**
 * Where images live in the bucket. Keys are chosen here, never by a client. Uploads sit under
 * the description's uploads prefix, which the bucket's lifecycle rule empties after a day
 * whatever else happens; the bucket grants functions these two prefixes and nothing else.
 */
export const imageKeys = {
  upload: (sessionId: string, purpose: UploadPurpose) => `${uploadsPrefix}${sessionId}/${purpose === 'ID_DOCUMENT' ? 'id-document' : 'selfie'}`,
  sessionUploads: (sessionId: string) => [imageKeys.upload(sessionId, 'ID_DOCUMENT'), imageKeys.upload(sessionId, 'SELFIE')],
  /** The selfie kept after verification, for face sign-in. */
  referenceFace: (userId: string) => `${facesPrefix}${userId}/reference`,
};
