/**
 * The reference and audit images of a decided session, stored as Rekognition stores them: JPEGs
 * of whole video frames with the face's bounding box, written with PutObject to the session's
 * OutputConfig bucket under `<S3KeyPrefix><SessionId>/reference.jpg` and
 * `<S3KeyPrefix><SessionId>/audit_images/<n>.jpg` (n from 1), or returned as bytes when the
 * session has no OutputConfig. The bucket is reached through the local S3 like any client, with
 * the endpoint and credentials given as configuration.
 */
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { Observation } from './decision/observations.ts';
import type { LivenessSession, StoredImage } from './sessions.ts';

/** Where output images go: an S3 endpoint and the keys to sign with (Rekognition's own access to the bucket). */
export interface EvidenceOutput {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Writes images to S3; made once per Rekognition stand-in. */
export function evidenceStore(output: EvidenceOutput | undefined) {
  const client = output ? new S3Client({ endpoint: output.endpoint, region: output.region, credentials: output.credentials, forcePathStyle: true, maxAttempts: 2 }) : undefined;

  return {
    /** Whether the bucket is there and may be written to (CreateFaceLivenessSession checks before it answers). */
    async checkBucket(bucket: string): Promise<'ok' | 'missing' | 'denied'> {
      if (!client) return 'missing';
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return 'ok';
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        return status === 403 ? 'denied' : 'missing';
      }
    },

    /** Encodes the frames and stores them as the session's settings say; returns them as GetFaceLivenessSessionResults shows them. */
    async store(session: LivenessSession, reference: Observation | undefined, audit: Observation[]): Promise<{ ReferenceImage?: StoredImage; AuditImages: StoredImage[] }> {
      const output = session.Settings.OutputConfig;
      const prefix = `${output?.S3KeyPrefix ?? ''}${session.SessionId}/`;
      const save = async (o: Observation, key: string): Promise<StoredImage> => {
        const jpeg = await sharp(o.frame.data, { raw: { width: o.frame.width, height: o.frame.height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
        const box = o.faces[0].box;
        const BoundingBox = { Width: box.width / o.frame.width, Height: box.height / o.frame.height, Left: box.x / o.frame.width, Top: box.y / o.frame.height };
        if (!output || !client) return { BoundingBox, Bytes: jpeg.toString('base64') };
        const put = await client.send(new PutObjectCommand({ Bucket: output.S3Bucket, Key: key, Body: jpeg, ContentType: 'image/jpeg' }));
        return { BoundingBox, S3Object: { Bucket: output.S3Bucket, Name: key, ...(put.VersionId ? { Version: put.VersionId } : {}) } };
      };
      return {
        ...(reference ? { ReferenceImage: await save(reference, `${prefix}reference.jpg`) } : {}),
        AuditImages: await Promise.all(audit.map((o, i) => save(o, `${prefix}audit_images/${i + 1}.jpg`))),
      };
    },

    close: () => client?.destroy(),
  };
}

/** The store {@link evidenceStore} makes. */
export type EvidenceStore = ReturnType<typeof evidenceStore>;
