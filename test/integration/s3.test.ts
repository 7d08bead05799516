import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { presignDownload, presignUpload, readObject } from '../../functions/shared/uploads.ts';
import { startLocalS3, type LocalS3 } from '../../local/aws/s3/s3.ts';

// The local S3 must refuse what S3 refuses: s3rver alone accepted every attack below.
const region = 'eu-west-1';
const bucket = 'images';
const keyPair = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-secret-for-tests' };
const webOrigin = 'http://127.0.0.1:5173';
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1200, 7)]);

let dir: string;
let local: LocalS3;
const lines: string[] = [];

async function start(): Promise<LocalS3> {
  return startLocalS3({
    dataDir: join(dir, 'data'),
    region,
    credentials: (id) => (id === keyPair.accessKeyId ? keyPair : undefined),
    buckets: [bucket],
    allowedOrigins: [webOrigin],
    log: (line) => lines.push(line),
  });
}

/** An SDK client for the local S3, as a test builds one (the functions use uploads.ts). */
function client(credentials = keyPair, extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {}): S3Client {
  return new S3Client({ endpoint: local.endpoint, region, forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', ...extra });
}

/** The S3 error code in an XML error body. */
async function codeOf(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

async function upload(key: string, body: Buffer, contentType = 'image/png') {
  const { url, headers } = await presignUpload({ bucket, key, contentType, contentLength: body.length, expiresInSeconds: 120 });
  return { url, headers, response: await fetch(url, { method: 'PUT', headers, body }) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-test-'));
  local = await start();
  // uploads.ts builds its client from the environment, as the verify function does in Lambda.
  vi.stubEnv('AWS_ENDPOINT_URL_S3', local.endpoint);
  vi.stubEnv('AWS_REGION', region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', keyPair.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', keyPair.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await local?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('presigned URLs from uploads.ts', () => {
  it('a PUT with the signed type and length stores the image, and a presigned GET returns it', async () => {
    const { url, headers, response } = await upload('uploads/s1/selfie', png);
    expect(headers).toEqual({ 'Content-Type': 'image/png', 'Content-Length': String(png.length) });
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);

    const download = await fetch(await presignDownload({ bucket, key: 'uploads/s1/selfie', expiresInSeconds: 60 }));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(png);
    expect(Buffer.from((await readObject(bucket, 'uploads/s1/selfie', 5_000_000))!)).toEqual(png);
  });

  it('a tampered signature is refused: 403 SignatureDoesNotMatch, nothing stored', async () => {
    const { url } = await presignUpload({ bucket, key: 'uploads/s2/selfie', contentType: 'image/png', contentLength: png.length, expiresInSeconds: 120 });
    const tampered = new URL(url);
    const signature = tampered.searchParams.get('X-Amz-Signature')!;
    tampered.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    const response = await fetch(tampered, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
    expect(await readObject(bucket, 'uploads/s2/selfie', 5_000_000)).toBeUndefined();
  });

  it('a URL moved to another key is refused: 403 SignatureDoesNotMatch', async () => {
    const { url } = await presignUpload({ bucket, key: 'uploads/s3/selfie', contentType: 'image/png', contentLength: png.length, expiresInSeconds: 120 });
    const moved = url.replace('/uploads/s3/selfie?', '/uploads/s3/id-document?');
    expect(moved).not.toBe(url);
    const response = await fetch(moved, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
    expect(await readObject(bucket, 'uploads/s3/id-document', 5_000_000)).toBeUndefined();
  });

  it('a URL used with another method is refused: PUT URL for GET, GET URL for DELETE', async () => {
    const { url: putUrl } = await upload('uploads/s4/selfie', png);
    const asGet = await fetch(putUrl);
    expect(asGet.status).toBe(403);
    expect(await codeOf(asGet)).toBe('SignatureDoesNotMatch');

    const getUrl = await presignDownload({ bucket, key: 'uploads/s4/selfie', expiresInSeconds: 60 });
    const asDelete = await fetch(getUrl, { method: 'DELETE' });
    expect(asDelete.status).toBe(403);
    expect(await codeOf(asDelete)).toBe('SignatureDoesNotMatch');
    expect(await readObject(bucket, 'uploads/s4/selfie', 5_000_000)).toBeDefined();
  });

  it('an upload with another content type is refused: 403 SignatureDoesNotMatch', async () => {
    const { url } = await presignUpload({ bucket, key: 'uploads/s5/selfie', contentType: 'image/png', contentLength: png.length, expiresInSeconds: 120 });
    const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: png });
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
  });

  it('an upload of another length is refused: 403 SignatureDoesNotMatch, nothing stored', async () => {
    const { url } = await presignUpload({ bucket, key: 'uploads/s6/selfie', contentType: 'image/png', contentLength: png.length, expiresInSeconds: 120 });
    for (const body of [Buffer.concat([png, Buffer.alloc(5_000_000)]), png.subarray(0, 100)]) {
      const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body });
      expect(response.status).toBe(403);
      expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
    }
    expect(await readObject(bucket, 'uploads/s6/selfie', 10_000_000)).toBeUndefined();
  });

  it('a request without any signature is refused: 403 AccessDenied', async () => {
    await upload('uploads/s7/selfie', png);
    const put = await fetch(`${local.endpoint}/${bucket}/uploads/s7/other`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });
    expect(put.status).toBe(403);
    expect(await codeOf(put)).toBe('AccessDenied');
    const get = await fetch(`${local.endpoint}/${bucket}/uploads/s7/selfie`);
    expect(get.status).toBe(403);
    expect(await codeOf(get)).toBe('AccessDenied');
    const list = await fetch(`${local.endpoint}/${bucket}?list-type=2`);
    expect(list.status).toBe(403);
  });
});

describe('presigned URLs that S3 would refuse', () => {
  const command = (key: string) => new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'image/png', ContentLength: png.length });
  const signable = { signableHeaders: new Set(['content-type', 'content-length']) };
  const put = (url: string) => fetch(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: png });

  it('expired: 403 AccessDenied "Request has expired"', async () => {
    const url = await getSignedUrl(client(), command('uploads/e1/selfie'), { ...signable, expiresIn: 60, signingDate: new Date(Date.now() - 10 * 60_000) });
    const response = await put(url);
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<Message>Request has expired</Message>');
  });

  it('X-Amz-Expires over a week: 400 AuthorizationQueryParametersError', async () => {
    const url = new URL(await getSignedUrl(client(), command('uploads/e2/selfie'), { ...signable, expiresIn: 300 }));
    url.searchParams.set('X-Amz-Expires', '604801');
    const response = await put(url.toString());
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('AuthorizationQueryParametersError');
  });

  it('signed with an unknown access key: 403 InvalidAccessKeyId', async () => {
    const url = await getSignedUrl(client({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: keyPair.secretAccessKey }), command('uploads/e3/selfie'), signable);
    const response = await put(url);
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('InvalidAccessKeyId');
  });

  it('signed with the wrong secret: 403 SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(client({ ...keyPair, secretAccessKey: 'not-the-secret' }), command('uploads/e4/selfie'), signable);
    const response = await put(url);
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
  });

  it('with an x-amz-* header the signature does not cover: 403 AccessDenied', async () => {
    const url = await getSignedUrl(client(), command('uploads/e5/selfie'), signable);
    const response = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'image/png', 'x-amz-acl': 'public-read' }, body: png });
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('<HeadersNotSigned>x-amz-acl</HeadersNotSigned>');
  });

  it("with the SDK's default checksum of an empty body: 400 BadDigest, as S3 refuses it", async () => {
    const url = await getSignedUrl(client(keyPair, { requestChecksumCalculation: 'WHEN_SUPPORTED' }), command('uploads/e6/selfie'), signable);
    expect(new URL(url).searchParams.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
    const response = await put(url);
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('BadDigest');
  });
});

describe('header-signed SDK calls', () => {
  it('with the right key they work; with a wrong secret or unknown key they fail as on S3', async () => {
    await client().send(new PutObjectCommand({ Bucket: bucket, Key: 'sdk/ok', Body: 'hello', ContentType: 'text/plain' }));
    const listed = await client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'sdk/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['sdk/ok']);

    const wrongSecret = client({ ...keyPair, secretAccessKey: 'wrong' });
    await expect(wrongSecret.send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk/ok' }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(wrongSecret.send(new PutObjectCommand({ Bucket: bucket, Key: 'sdk/ok', Body: 'overwritten' }))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
    const unknown = client({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' });
    await expect(unknown.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });

    const kept = await client().send(new GetObjectCommand({ Bucket: bucket, Key: 'sdk/ok' }));
    expect(await kept.Body!.transformToString()).toBe('hello');
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method = 'PUT', headers = 'content-type') =>
    fetch(`${local.endpoint}/${bucket}/uploads/c1/selfie`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers },
    });

  it('a preflight from the web origin is allowed for PUT with Content-Type', async () => {
    const response = await preflight(webOrigin);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(webOrigin);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, PUT, HEAD');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('a preflight from another origin, or for another method or header, is refused with no CORS headers', async () => {
    for (const response of [await preflight('https://evil.example'), await preflight(webOrigin, 'DELETE'), await preflight(webOrigin, 'PUT', 'x-amz-acl')]) {
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(await codeOf(response)).toBe('AccessForbidden');
    }
  });

  it('actual responses carry CORS headers for the web origin only', async () => {
    const { url } = await presignUpload({ bucket, key: 'uploads/c2/selfie', contentType: 'image/png', contentLength: png.length, expiresInSeconds: 60 });
    const allowed = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'image/png', Origin: webOrigin }, body: png });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(webOrigin);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');

    const download = await presignDownload({ bucket, key: 'uploads/c2/selfie', expiresInSeconds: 60 });
    const other = await fetch(download, { headers: { Origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect([...other.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);

    // A refusal still carries CORS headers for the web origin, so the page can read why.
    const refused = await fetch(`${download}0`, { headers: { Origin: webOrigin } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(webOrigin);
  });
});

describe('persistence and logs', () => {
  it('objects survive a restart on the same data folder', async () => {
    await upload('uploads/p1/selfie', png);
    await local.stop();
    local = await start();
    vi.stubEnv('AWS_ENDPOINT_URL_S3', local.endpoint);
    expect(Buffer.from((await readObject(bucket, 'uploads/p1/selfie', 5_000_000))!)).toEqual(png);
  });

  it('log lines name method, bucket, key and status, never a URL or its query string', () => {
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      expect(line).not.toMatch(/X-Amz-|Signature=|\?|http:/i);
      expect(JSON.parse(line)).toMatchObject({ msg: 'local s3', method: expect.any(String), status: expect.any(Number) });
    }
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ method: 'PUT', bucket, key: 'uploads/s1/selfie', status: 200 }));
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ method: 'PUT', key: 'uploads/s2/selfie', status: 403, code: 'SignatureDoesNotMatch' }));
  });
});
