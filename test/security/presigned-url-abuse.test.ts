/**
 * Attack: bend the presigned S3 URLs SecureTask hands out. An upload URL is a bearer secret for
 * one PUT of one key, of one type and one length, for a few minutes; a review link is one GET of
 * one image for a minute. Everything else must be refused by S3 (locally: the SigV4-checking
 * S3 stand-in), and nothing a URL can write may reach a verified user's reference face.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { presignUpload } from '../../functions/shared/uploads.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, put, type Upload } from '../helpers/verification.ts';

let stack: TestStack;
let client: ReturnType<typeof onboardingClient>;

/** A minimal PNG header: the bytes do not matter to S3, only their type and length do. */
const IMAGE = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(1_000, 7)]);

beforeAll(async () => {
  stack = await startTestStack({ config: { verification: { ...defaultVerificationPolicy, signup: 'open' } } });
  client = onboardingClient(stack);
});
afterAll(() => stack?.stop());

let people = 0;
/** A fresh session of a fresh person, with its one upload URL (the ID photo: no face is ever uploaded). */
async function session(): Promise<{ id: string; idDocument: Upload }> {
  const started = await client.start({ email: `person-${++people}@example.com`, idDocument: IMAGE });
  expect(started.errors).toBeUndefined();
  const { id, uploads } = started.data!.startVerification as { id: string; uploads: Upload[] };
  expect(uploads.map((u) => u.purpose)).toEqual(['ID_DOCUMENT']);
  return { id, idDocument: uploads[0]! };
}

const exists = (key: string) =>
  stack.s3
    .send(new HeadObjectCommand({ Bucket: stack.imagesBucket, Key: key }))
    .then(() => true, (error: { name?: string }) => (error.name === 'NotFound' ? false : Promise.reject(error)));

/** S3's error code from an XML error body. */
async function code(response: Response): Promise<string> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1] ?? `HTTP ${response.status}`;
}

describe('upload URLs', () => {
  it('the genuine upload works (the baseline each attack below differs from by one thing)', async () => {
    const { id, idDocument } = await session();
    expect((await put(idDocument, IMAGE)).status).toBe(200);
    expect(await exists(`uploads/${id}/id-document`)).toBe(true);
  });

  it('a tampered signature: 403 SignatureDoesNotMatch, nothing stored', async () => {
    const { id, idDocument } = await session();
    const url = new URL(idDocument.url);
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
    const response = await put({ ...idDocument, url: url.toString() }, IMAGE);
    expect([response.status, await code(response)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await exists(`uploads/${id}/id-document`)).toBe(false);
  });

  it("another person's key: my URL moved onto their session's ID photo is refused, their image stays", async () => {
    const mine = await session();
    const theirs = await session();
    expect((await put(theirs.idDocument, IMAGE)).status).toBe(200);
    const moved = mine.idDocument.url.replace(`/uploads/${mine.id}/`, `/uploads/${theirs.id}/`);
    expect(moved).not.toBe(mine.idDocument.url);
    const attack = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(1_000, 9)]);
    const response = await put({ ...mine.idDocument, url: moved }, attack);
    expect([response.status, await code(response)]).toEqual([403, 'SignatureDoesNotMatch']);
    const stored = await (await fetch(theirs.idDocument.url, { method: 'GET' })).status;
    expect(stored).toBe(403); // a PUT URL does not read either
  });

  it('my ID URL moved to plant a live image where Rekognition writes the liveness check, or onto a reference face key: refused', async () => {
    const { id, idDocument } = await session();
    for (const key of [`uploads/${id}/liveness/00000000-0000-4000-8000-000000000000/reference.jpg`, `uploads/${id}/selfie`, 'faces/some-user/reference']) {
      const response = await put({ ...idDocument, url: idDocument.url.replace(`uploads/${id}/id-document`, key) }, IMAGE);
      expect([key, response.status, await code(response)]).toEqual([key, 403, 'SignatureDoesNotMatch']);
      expect(await exists(key)).toBe(false);
    }
  });

  it('another bucket: refused', async () => {
    const { idDocument } = await session();
    const url = idDocument.url.replace(`/${stack.imagesBucket}/`, `/${stack.imagesBucket}-other/`);
    expect(url).not.toBe(idDocument.url);
    const response = await put({ ...idDocument, url }, IMAGE);
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it.each(['GET', 'DELETE', 'POST', 'HEAD'])('the PUT URL used with %s: refused', async (method) => {
    const { id, idDocument } = await session();
    expect((await put(idDocument, IMAGE)).status).toBe(200);
    const response = await fetch(idDocument.url, { method, body: method === 'POST' ? IMAGE : undefined });
    expect(response.status).toBe(403);
    expect(await exists(`uploads/${id}/id-document`)).toBe(true);
  });

  it('more bytes than signed (a bigger file on a small URL), or fewer: 403, nothing stored', async () => {
    const { id, idDocument } = await session();
    for (const body of [Buffer.concat([IMAGE, Buffer.alloc(5 * 1024 * 1024)]), IMAGE.subarray(0, 500)]) {
      const response = await put(idDocument, body);
      expect(response.status).toBe(403);
    }
    expect(await exists(`uploads/${id}/id-document`)).toBe(false);
  });

  it('another content type than signed (text/html, to serve a page from the bucket): 403, nothing stored', async () => {
    const { id, idDocument } = await session();
    for (const type of ['text/html', 'image/svg+xml', 'image/png; charset=utf-8']) {
      const response = await put(idDocument, IMAGE, type);
      expect([type, response.status]).toEqual([type, 403]);
    }
    expect(await exists(`uploads/${id}/id-document`)).toBe(false);
  });

  it('asking for a URL of another type or a bigger size than an image may be: refused before any URL exists', async () => {
    const start = (idDocument: { contentType: string; size: number }) =>
      client.call('mutation ($i: StartVerificationInput!) { startVerification(input: $i) { id uploads { url } } }', { i: { email: `x-${++people}@example.com`, name: 'X', consent: true, idDocument } });
    const { id } = await session();
    const answers = [
      await start({ contentType: 'text/html', size: 100 }),
      await start({ contentType: 'image/jpeg', size: 50 * 1024 * 1024 }),
      await start({ contentType: 'image/jpeg', size: -1 }),
      await client.call('mutation ($id: ID!, $i: ImageUploadInput!) { requestUpload(id: $id, purpose: ID_DOCUMENT, image: $i) { url } }', { id, i: { contentType: 'text/html', size: 100 } }),
    ];
    for (const answer of answers) {
      expect(answer.errors?.[0]?.errorType).toBe('InvalidImage');
      expect(JSON.stringify(answer)).not.toContain('X-Amz-Signature');
    }
  });

  it('expired: a URL past its X-Amz-Expires is refused (403 AccessDenied), nothing stored', async () => {
    const { id } = await session();
    // Signed as the verification function signs its URLs: with its role's credentials.
    const { url, headers } = await stack.functionAccess.runAs('verification', () =>
      presignUpload({ bucket: stack.imagesBucket, key: `uploads/${id}/id-document`, contentType: 'image/png', contentLength: IMAGE.length, expiresInSeconds: 1 }),
    );
    await new Promise((r) => setTimeout(r, 2_100));
    const response = await put({ purpose: 'ID_DOCUMENT', url, headers: JSON.stringify(headers) }, IMAGE);
    expect([response.status, await code(response)]).toEqual([403, 'AccessDenied']);
    expect(await exists(`uploads/${id}/id-document`)).toBe(false);
  });

  it('the URLs SecureTask hands out live at most 5 minutes', async () => {
    const { idDocument } = await session();
    expect(Number(new URL(idDocument.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(new URL(idDocument.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });
});

describe('reuse after the image was deleted', () => {
  it('a URL kept after cancelling: the re-upload lands in a dead session that nothing will read', async () => {
    const { id, idDocument } = await session();
    expect((await put(idDocument, IMAGE)).status).toBe(200);
    expect((await client.cancel(id)).data!.cancelVerification.state).toBe('CANCELED');
    expect(await exists(`uploads/${id}/id-document`)).toBe(false);
    // S3 cannot revoke a presigned URL before it expires (neither can AWS): the PUT works again...
    expect((await put(idDocument, IMAGE)).status).toBe(200);
    // ...but the session takes nothing more: no submit, no new URL, no liveness check, and the image is never compared.
    expect((await client.submit(id)).errors?.[0]?.errorType).toBe('ConflictError');
    expect((await client.requestUpload(id, IMAGE)).errors?.[0]?.errorType).toBe('ConflictError');
    expect((await client.startLivenessCheck(id)).errors?.[0]?.errorType).toBe('ConflictError');
    expect((await client.get(id)).data!.verification.state).toBe('CANCELED');
  });
});
