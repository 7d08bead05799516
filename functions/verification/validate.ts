import { VerificationError } from './errors.ts';

/** The largest image accepted (Rekognition's limit for image bytes). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const CONTENT_TYPES = ['image/jpeg', 'image/png'];

/** What a client says it will upload; the presigned URL pins both. */
export interface UploadSpec {
  contentType: string;
  size: number;
}

/** Lower-cased, trimmed; AWSEmail already checked the shape. */
export function normalizeEmail(email: unknown): string {
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email.trim())) throw new VerificationError('ValidationError', 'Enter a valid email address.');
  return email.trim().toLowerCase();
}

export function validName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length < 1 || trimmed.length > 100) throw new VerificationError('ValidationError', 'Enter your name (1-100 characters).');
  return trimmed;
}

/** JPEG or PNG, 1 byte to 5 MB: the rest would fail the image checks anyway, after an upload. */
export function validUpload(spec: UploadSpec | undefined, what: string): UploadSpec {
  if (!spec || typeof spec.contentType !== 'string' || !Number.isInteger(spec.size)) {
    throw new VerificationError('ValidationError', `Say the content type and size of the ${what}.`);
  }
  const contentType = spec.contentType.toLowerCase();
  if (!CONTENT_TYPES.includes(contentType)) throw new VerificationError('InvalidImage', `The ${what} must be a JPEG or PNG photo.`, { reason: 'UNSUPPORTED_FORMAT' });
  if (spec.size > MAX_IMAGE_BYTES) throw new VerificationError('InvalidImage', `The ${what} is larger than 5 MB: take a smaller photo.`, { reason: 'TOO_LARGE' });
  if (spec.size < 1) throw new VerificationError('InvalidImage', `The ${what} is empty.`, { reason: 'EMPTY' });
  return { contentType, size: spec.size };
}
