import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_PRESIGN_SECONDS, presignDownload, presignUpload } from '../../functions/shared/uploads.ts';

// Presigning is offline: these run without any S3, local or real.
const upload = { bucket: 'images', key: 'uploads/s1/selfie', contentType: 'image/jpeg', contentLength: 1234 };

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAUNITTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit-test-secret');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4599');
});
afterAll(() => vi.unstubAllEnvs());

describe('presignUpload', () => {
  it(`signs type and length, no checksum, for at most ${MAX_PRESIGN_SECONDS} seconds`, async () => {
    const { url, headers } = await presignUpload({ ...upload, expiresInSeconds: MAX_PRESIGN_SECONDS });
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('http://127.0.0.1:4599/images/uploads/s1/selfie');
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect([...parsed.searchParams.keys()].filter((k) => k.toLowerCase().startsWith('x-amz-checksum') || k === 'x-amz-sdk-checksum-algorithm')).toEqual([]);
    expect(headers).toEqual({ 'Content-Type': 'image/jpeg', 'Content-Length': '1234' });
  });

  it.each([301, 3600, 0, -1, 1.5, Number.NaN])('refuses an expiry of %s seconds', async (expiresInSeconds) => {
    await expect(presignUpload({ ...upload, expiresInSeconds })).rejects.toThrow(RangeError);
  });

  it('refuses a length that is not a whole number of bytes and a content type that is not a media type', async () => {
    for (const contentLength of [-1, 1.5, Number.NaN]) {
      await expect(presignUpload({ ...upload, contentLength, expiresInSeconds: 60 })).rejects.toThrow(RangeError);
    }
    for (const contentType of ['', 'image', 'image/png\r\nx-amz-acl: public-read', 'image/png; charset=x']) {
      await expect(presignUpload({ ...upload, contentType, expiresInSeconds: 60 })).rejects.toThrow(RangeError);
    }
  });
});

describe('presignDownload', () => {
  it('signs a GET for the given life, capped at 300 seconds', async () => {
    const url = new URL(await presignDownload({ bucket: 'images', key: 'uploads/s1/selfie', expiresInSeconds: 60 }));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('x-id')).toBe('GetObject');
    await expect(presignDownload({ bucket: 'images', key: 'k', expiresInSeconds: 301 })).rejects.toThrow(RangeError);
    await expect(presignDownload({ bucket: 'images', key: 'k', expiresInSeconds: 0 })).rejects.toThrow(RangeError);
  });
});

describe('addressing', () => {
  it('virtual-hosted style in AWS (no endpoint override), path style when AWS_ENDPOINT_URL_S3 is set', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', undefined);
    try {
      const url = new URL(await presignDownload({ bucket: 'images', key: 'k', expiresInSeconds: 60 }));
      expect(url.host).toBe('images.s3.eu-west-1.amazonaws.com');
      expect(url.protocol).toBe('https:');
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_S3', 'http://127.0.0.1:4599');
    }
  });
});
