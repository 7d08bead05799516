/**
 * The verification images in S3, as the verify function handles them in AWS and locally (the
 * SDK reads `AWS_ENDPOINT_URL_S3`): presigned URLs the browser uploads and views with, bounded
 * reads, and clean-up. Presigned URLs are bearer secrets: callers must never log them.
 */
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from './aws-clients.ts';
import { SecureTaskError } from '../../lib/errors.ts';

/** The longest life of a presigned URL here: an upload starts right after it is issued. */
export const MAX_PRESIGN_SECONDS = 300;
/** S3's limit on keys in one DeleteObjects call. */
const DELETE_BATCH = 1000;

/** A presigned PUT and the headers the uploader must send with it, exactly (both are signed). */
export interface PresignedUpload {
  url: string;
  /**
   * `Content-Type` and `Content-Length`. A browser sets Content-Length itself from the body, so
   * the body must be exactly that many bytes; any other type or length fails the signature.
   */
  headers: { 'Content-Type': string; 'Content-Length': string };
}

/** An object larger than the reader allowed; thrown before the rest of it is downloaded. */
export class ObjectTooLargeError extends SecureTaskError {
  readonly code = 'OBJECT_TOO_LARGE';
  constructor(
    readonly bucket: string,
    readonly key: string,
    readonly maxBytes: number,
    /** From the object's Content-Length when S3 sent it. */
    readonly size?: number,
  ) {
    super(`s3://${bucket}/${key} is larger than ${maxBytes} bytes${size === undefined ? '' : ` (${size})`}`);
    this.name = 'ObjectTooLargeError';
  }
}

function checkExpiry(expiresInSeconds: number): void {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`presigned URLs live 1 to ${MAX_PRESIGN_SECONDS} whole seconds, not ${expiresInSeconds}`);
  }
}

/**
 * A URL that lets its holder PUT one object, of exactly this type and length, for
 * `expiresInSeconds` (at most {@link MAX_PRESIGN_SECONDS}). Type and length are in the signature,
 * so S3 refuses any other; no checksum is (see `s3()`), so the real body is accepted.
 */
export async function presignUpload(input: { bucket: string; key: string; contentType: string; contentLength: number; expiresInSeconds: number }): Promise<PresignedUpload> {
  checkExpiry(input.expiresInSeconds);
  if (!Number.isSafeInteger(input.contentLength) || input.contentLength < 0) {
    throw new RangeError(`contentLength must be a whole number of bytes, not ${input.contentLength}`);
  }
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(input.contentType)) throw new RangeError(`'${input.contentType}' is not a media type`);
  const command = new PutObjectCommand({ Bucket: input.bucket, Key: input.key, ContentType: input.contentType, ContentLength: input.contentLength });
  const url = await getSignedUrl(s3(), command, {
    expiresIn: input.expiresInSeconds,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return { url, headers: { 'Content-Type': input.contentType, 'Content-Length': String(input.contentLength) } };
}

/** A URL that lets its holder GET one object for `expiresInSeconds` (at most {@link MAX_PRESIGN_SECONDS}; review links use 60). */
export async function presignDownload(input: { bucket: string; key: string; expiresInSeconds: number }): Promise<string> {
  checkExpiry(input.expiresInSeconds);
  return getSignedUrl(s3(), new GetObjectCommand({ Bucket: input.bucket, Key: input.key }), { expiresIn: input.expiresInSeconds });
}

/**
 * The object's bytes, or undefined if there is no such key. Throws {@link ObjectTooLargeError}
 * as soon as the object is known to exceed `maxBytes` (from its Content-Length, else while
 * reading), so an oversized upload costs no more than `maxBytes` of memory and transfer.
 */
export async function readObject(bucket: string, key: string, maxBytes: number): Promise<Uint8Array | undefined> {
  let body: AsyncIterable<Uint8Array> & { destroy?: () => void };
  let size: number | undefined;
  try {
    const response = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    body = response.Body as unknown as typeof body;
    size = response.ContentLength;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
  if (size !== undefined && size > maxBytes) {
    body.destroy?.();
    throw new ObjectTooLargeError(bucket, key, maxBytes, size);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    // Guards against an object replaced or a length not sent; breaking out of the loop closes the stream.
    if (total > maxBytes) throw new ObjectTooLargeError(bucket, key, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Deletes the keys (missing ones are fine, as in S3), 1,000 per call; throws if S3 refused any. */
export async function deleteObjects(bucket: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const batch = keys.slice(start, start + DELETE_BATCH);
    const response = await s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    const failed = response.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(`S3 refused to delete ${failed.length} of ${batch.length} objects from ${bucket}, e.g. ${first.Key}: ${first.Code} ${first.Message}`);
    }
  }
}

/**
 * Deletes every object under `prefix` (a session's uploads, whatever keys Rekognition chose for
 * its liveness images), a listed page at a time; throws if S3 refused any.
 */
export async function deletePrefix(bucket: string, prefix: string): Promise<void> {
  if (!prefix.endsWith('/')) throw new RangeError(`a prefix to delete ends with "/", not "${prefix}"`);
  let token: string | undefined;
  do {
    const page = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: DELETE_BATCH }));
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    if (keys.length > 0) await deleteObjects(bucket, keys);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Stores `body` under `key` with its content type (a reference face kept after verification). */
export async function writeObject(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void> {
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
}
