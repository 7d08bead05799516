import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteObjects, ObjectTooLargeError, presignDownload, presignUpload, readObject, writeObject } from '../../functions/shared/uploads.ts';
import { MAX_BODY_BYTES } from '../../local/aws/s3/s3-body.ts';
import { startLocalS3, type LocalS3 } from '../../local/aws/s3/s3.ts';

// What the front does besides checking signatures: bodies whole and as claimed, the SDK's
// calls with awkward keys, and the helpers of uploads.ts against it.
const region = 'eu-west-1';
const bucket = 'images';
const keyPair = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-secret-for-tests' };

let dir: string;
let dataDir: string;
let local: LocalS3;
let sdk: S3Client;
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-requests-test-'));
  dataDir = join(dir, 'data');
  local = await startLocalS3({
    dataDir,
    region,
    credentials: (id) => (id === keyPair.accessKeyId ? keyPair : undefined),
    buckets: [bucket],
    allowedOrigins: [],
    log: (line) => lines.push(line),
  });
  // The SDK's defaults (checksums on every PutObject), unlike the presigning client of uploads.ts.
  sdk = new S3Client({ endpoint: local.endpoint, region, forcePathStyle: true, credentials: keyPair });
  vi.stubEnv('AWS_ENDPOINT_URL_S3', local.endpoint);
  vi.stubEnv('AWS_REGION', region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', keyPair.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', keyPair.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  sdk?.destroy();
  await local?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

/** Polls until the front has logged an answer for `key` (an aborted request has no response to wait for). */
async function loggedFor(key: string, status: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (lines.some((l) => JSON.parse(l).key === key && JSON.parse(l).status === status)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${status} logged for ${key}`);
}

describe('SDK calls', () => {
  it('CreateBucket, PutObject (with its CRC32), HeadObject, GetObject, ListObjectsV2 and DeleteObject, with a key that needs encoding', async () => {
    await sdk.send(new CreateBucketCommand({ Bucket: 'second-bucket' }));
    const key = "uploads/a b/ü!*'()+~,;=@$&.png";
    await sdk.send(new PutObjectCommand({ Bucket: 'second-bucket', Key: key, Body: Buffer.from('bytes'), ContentType: 'image/png', Metadata: { purpose: 'selfie' } }));
    const head = await sdk.send(new HeadObjectCommand({ Bucket: 'second-bucket', Key: key }));
    expect(head).toMatchObject({ ContentLength: 5, ContentType: 'image/png', Metadata: { purpose: 'selfie' } });
    const got = await sdk.send(new GetObjectCommand({ Bucket: 'second-bucket', Key: key }));
    expect(await got.Body!.transformToString()).toBe('bytes');
    const listed = await sdk.send(new ListObjectsV2Command({ Bucket: 'second-bucket', Prefix: 'uploads/a b/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);

    const presigned = await fetch(await presignDownload({ bucket: 'second-bucket', key, expiresInSeconds: 60 }));
    expect(await presigned.text()).toBe('bytes');

    await sdk.send(new DeleteObjectCommand({ Bucket: 'second-bucket', Key: key }));
    await expect(sdk.send(new HeadObjectCommand({ Bucket: 'second-bucket', Key: key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('a presigned GET may override response headers, as a signed request may on S3', async () => {
    await writeObject(bucket, 'docs/readme', Buffer.from('text'), 'text/plain');
    const command = new GetObjectCommand({ Bucket: bucket, Key: 'docs/readme', ResponseContentDisposition: 'attachment; filename="r.txt"' });
    const response = await fetch(await getSignedUrl(sdk, command, { expiresIn: 60 }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="r.txt"');
  });

  it("a key with a '..' segment is refused instead of reaching outside the data folder", async () => {
    for (const Key of ['../../escaped', 'a/./b']) {
      await expect(sdk.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    }
    expect((await readdir(dir)).sort()).toEqual(['data']);
  });

  it('a streamed (aws-chunked) upload is refused as not implemented rather than stored encoded', async () => {
    const put = new PutObjectCommand({ Bucket: bucket, Key: 'chunked/one', Body: Readable.from([Buffer.from('hello')]), ContentLength: 5 });
    // A logger of its own: the SDK warns on the console when a streamed request fails.
    const quiet = new S3Client({ endpoint: local.endpoint, region, forcePathStyle: true, credentials: keyPair, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    await expect(quiet.send(put)).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    expect(await readObject(bucket, 'chunked/one', 100)).toBeUndefined();
  });
});

describe('bodies', () => {
  it('a header-signed body that does not match its x-amz-content-sha256 is refused: 400 XAmzContentSHA256Mismatch', async () => {
    const signer = new SignatureV4({ service: 's3', region, credentials: keyPair, sha256: Sha256, uriEscapePath: false });
    const url = new URL(`${local.endpoint}/${bucket}/hash/one`);
    const signed = await signer.sign(
      new HttpRequest({
        method: 'PUT',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: { host: url.host, 'content-type': 'text/plain', 'content-length': '8', 'x-amz-content-sha256': createHash('sha256').update('original').digest('hex') },
      }),
    );
    const response = await fetch(url, { method: 'PUT', headers: signed.headers, body: 'tampered' });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('XAmzContentSHA256Mismatch');
    expect(await readObject(bucket, 'hash/one', 100)).toBeUndefined();
  });

  it(`a body over ${MAX_BODY_BYTES} bytes whose length is not signed is refused: 400 EntityTooLarge`, async () => {
    const command = new PutObjectCommand({ Bucket: bucket, Key: 'big/one', ContentType: 'image/png' });
    const url = await getSignedUrl(new S3Client({ endpoint: local.endpoint, region, forcePathStyle: true, credentials: keyPair, requestChecksumCalculation: 'WHEN_REQUIRED' }), command, {
      expiresIn: 60,
      signableHeaders: new Set(['content-type']),
    });
    const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: Buffer.alloc(MAX_BODY_BYTES + 1) });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('EntityTooLarge');
    expect(await readObject(bucket, 'big/one', 100)).toBeUndefined();
  });

  it('an upload cut off halfway stores nothing: the object before it stays whole', async () => {
    const before = Buffer.alloc(2000, 1);
    const { url: first } = await presignUpload({ bucket, key: 'cut/one', contentType: 'image/jpeg', contentLength: before.length, expiresInSeconds: 60 });
    expect((await fetch(first, { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: before })).status).toBe(200);

    const { url, headers } = await presignUpload({ bucket, key: 'cut/one', contentType: 'image/jpeg', contentLength: 200_000, expiresInSeconds: 60 });
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'PUT', headers });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(50_000, 2), () => setTimeout(() => req.destroy(), 50));
    });
    await loggedFor('cut/one', 499);
    expect(Buffer.from((await readObject(bucket, 'cut/one', 1_000_000))!)).toEqual(before);
    expect((await readdir(dataDir)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});

describe('uploads.ts helpers', () => {
  it('readObject: the bytes, undefined for a missing key, ObjectTooLargeError past maxBytes', async () => {
    await writeObject(bucket, 'read/one', Buffer.alloc(100, 3), 'image/jpeg');
    expect(Buffer.from((await readObject(bucket, 'read/one', 100))!)).toEqual(Buffer.alloc(100, 3));
    expect(await readObject(bucket, 'read/missing', 100)).toBeUndefined();
    const tooLarge = await readObject(bucket, 'read/one', 99).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(ObjectTooLargeError);
    expect(tooLarge).toMatchObject({ name: 'ObjectTooLargeError', size: 100, maxBytes: 99 });
  });

  it('writeObject and readObject carry a 3 MB image (the SDK sends Expect: 100-continue)', async () => {
    const image = Buffer.alloc(3 * 1024 * 1024, 9);
    await writeObject(bucket, 'large/one', image, 'image/jpeg');
    expect(Buffer.from((await readObject(bucket, 'large/one', 5 * 1024 * 1024))!).equals(image)).toBe(true);
  });

  it('deleteObjects: more than 1,000 keys in batches, missing keys fine', async () => {
    await writeObject(bucket, 'batch/0', Buffer.from('a'), 'text/plain');
    await writeObject(bucket, 'batch/1000', Buffer.from('b'), 'text/plain');
    const deleteCalls = () => lines.filter((l) => JSON.parse(l).method === 'POST').length;
    const before = deleteCalls();
    await deleteObjects(bucket, Array.from({ length: 1001 }, (_, i) => `batch/${i}`));
    expect(deleteCalls() - before).toBe(2);
    const left = await sdk.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'batch/' }));
    expect(left.KeyCount).toBe(0);
    await deleteObjects(bucket, []);
  });
});

it('s3rver writes nothing to the console', async () => {
  // In a child process: in a vitest worker the console is vitest's, and s3rver's logger writes past it.
  const script = `
    import { startLocalS3 } from ${JSON.stringify(fileURLToPath(new URL('../../local/aws/s3/s3.ts', import.meta.url)))};
    const keys = { accessKeyId: 'A', secretAccessKey: 'S' };
    const s3 = await startLocalS3({ dataDir: ${JSON.stringify(join(dir, 'quiet'))}, region: 'eu-west-1', credentials: () => keys, buckets: ['quiet-bucket', 'quiet-bucket'], allowedOrigins: [] });
    const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials: keys });
    await client.send(new GetObjectCommand({ Bucket: 'quiet-bucket', Key: 'missing' })).catch(() => {});
    await client.send(new GetObjectCommand({ Bucket: 'no-bucket', Key: 'missing' })).catch(() => {});
    client.destroy();
    await s3.stop();
  `;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() });
  expect(stdout).toBe('');
  // The SDK's own notice about Node 20 is the only thing allowed on stderr.
  expect(stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?--trace-warnings[^\n]*\n/, '')).toBe('');
});
