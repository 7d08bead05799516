/**
 * Image files no camera makes, built from the real photos of ../shared/faces: truncated at any
 * byte, bit-flipped headers, mislabelled content types, polyglots (a JPEG with a ZIP or HTML
 * after or before it), decompression bombs (a PNG or JPEG header declaring billions of pixels
 * over a few bytes), random bytes behind a valid magic number.
 *
 * Two layers: every case goes through `checkImage`, the gate before any model (thousands, no
 * I/O); what the gate lets through is decoded as the offline matcher decodes it; and a share of
 * the refused cases goes the whole way a browser goes (startVerification, PUT to the presigned
 * URL, submitVerification), which must answer InvalidImage. Images the gate accepts are not
 * sent through submit here: that would run the face models, which the verification suites test.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { checkImage, InvalidImageError } from '../../functions/verification/images.ts';
import { decodeImage } from '../../local/faces/decode.ts';
import { ImageDecodeError } from '../../local/faces/types.ts';
import { face, facesAvailable } from '../helpers/faces.ts';
import { ANSWER_TIMEOUT_MS, budgetMs, expectClearAnswer, forEachCase, post, Tally } from '../helpers/fuzz.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { onboardingClient, put, type Upload } from '../helpers/verification.ts';
import { PNG_SIGNATURE, syntheticPng } from '../helpers/png.ts';

const tally = new Tally('images');
const JPEG_EOI = Buffer.from([0xff, 0xd9]);

/** The real photos every case starts from. */
let sources: { name: string; bytes: Buffer }[] = [];

/** A PNG declaring `width` x `height` (valid IHDR CRC) over `zeros` bytes of compressed zeros: a decompression bomb. */
function pngBomb(width: number, height: number, zeros: number): Buffer {
  return syntheticPng(width, height, deflateSync(Buffer.alloc(zeros)));
}

/** A real JPEG whose frame header (SOF) declares another size: the scan data no longer fits it. */
function jpegResized(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length; ) {
    const marker = out[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + out.readUInt16BE(i + 2);
  }
  return out;
}

const ZIP = Buffer.from('504b0304140000000000000000000000000000000000000000000500000068656c6c6f', 'hex');
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');

/** One generated file: its bytes, what it is, and whether the gate must refuse it. */
interface ImageCase {
  kind: string;
  bytes: Buffer;
  /** Truncated before its end, a bomb over the pixel limit, not an image: the gate must say no. */
  mustRefuse: boolean;
  /** The content type the client declares and uploads with. */
  declared: string;
}

const source = () => fc.nat().map((i) => sources[i % sources.length]!);
const declared = fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('image/png', 'image/jpeg', 'IMAGE/JPEG') });
const typeOf = (bytes: Buffer, asked: string) => asked || (bytes[0] === 0x89 ? 'image/png' : 'image/jpeg');

const images: fc.Arbitrary<ImageCase> = fc.oneof(
  fc.record({ s: source(), at: fc.double({ min: 0, max: 1, noNaN: true }), asked: declared }).map(({ s, at, asked }) => {
    const bytes = s.bytes.subarray(0, Math.floor(at * (s.bytes.length - 1)));
    // A file cut anywhere before its end marker (JPEG EOI, PNG IEND) is incomplete.
    const end = s.bytes[0] === 0x89 ? s.bytes.lastIndexOf('IEND') + 8 : s.bytes.lastIndexOf(JPEG_EOI) + 2;
    return { kind: `${s.name} truncated`, bytes, mustRefuse: bytes.length < end, declared: typeOf(bytes, asked) };
  }),
  fc.record({ s: source(), flips: fc.array(fc.record({ at: fc.nat({ max: 600 }), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 6 }), asked: declared }).map(({ s, flips, asked }) => {
    const bytes = Buffer.from(s.bytes);
    for (const { at, xor } of flips) bytes[at % bytes.length]! ^= xor;
    return { kind: `${s.name} with flipped header bytes`, bytes, mustRefuse: false, declared: typeOf(bytes, asked) };
  }),
  fc.record({ s: source(), tail: fc.constantFrom(ZIP, HTML, Buffer.from('%PDF-1.4\n')), asked: declared }).map(({ s, tail, asked }) => ({
    kind: `${s.name} with a ${tail === ZIP ? 'ZIP' : tail === HTML ? 'HTML' : 'PDF'} appended (polyglot)`,
    bytes: Buffer.concat([s.bytes, tail]),
    mustRefuse: false,
    declared: typeOf(s.bytes, asked),
  })),
  fc.record({ s: source(), head: fc.constantFrom(ZIP, HTML) }).map(({ s, head }) => ({ kind: `${s.name} behind a ${head === ZIP ? 'ZIP' : 'HTML'} header`, bytes: Buffer.concat([head, s.bytes]), mustRefuse: true, declared: 'image/jpeg' })),
  fc.record({ s: source(), asked: fc.constantFrom('image/png', 'image/jpeg') }).map(({ s, asked }) => ({ kind: `${s.name} declared as ${asked}`, bytes: s.bytes, mustRefuse: false, declared: asked })),
  fc
    .record({ width: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(0, 79, 80, 5_000, 2 ** 31 - 1, 2 ** 32 - 1)), height: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(0, 1, 5_000, 2 ** 31 - 1)), zeros: fc.constantFrom(0, 1_000, 1_000_000) })
    .map(({ width, height, zeros }) => ({ kind: `PNG bomb ${width}x${height}`, bytes: pngBomb(width, height, zeros), mustRefuse: width * height > 25_000_000 || width < 80 || height < 80, declared: 'image/png' })),
  fc.record({ width: fc.integer({ min: 0, max: 65_535 }), height: fc.integer({ min: 0, max: 65_535 }) }).map(({ width, height }) => ({
    kind: `JPEG declaring ${width}x${height}`,
    bytes: jpegResized(sources.find((s) => s.name.endsWith('.jpg'))!.bytes, width, height),
    mustRefuse: width * height > 25_000_000 || width < 80 || height < 80,
    declared: 'image/jpeg',
  })),
  fc.record({ magic: fc.constantFrom(Buffer.from([0xff, 0xd8, 0xff]), PNG_SIGNATURE), rest: fc.uint8Array({ maxLength: 2_000 }) }).map(({ magic, rest }) => ({
    kind: 'random bytes behind a magic number',
    bytes: Buffer.concat([magic, rest]),
    mustRefuse: true,
    declared: magic[0] === 0x89 ? 'image/png' : 'image/jpeg',
  })),
  fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((bytes) => ({ kind: 'random bytes', bytes: Buffer.from(bytes), mustRefuse: true, declared: 'image/jpeg' })),
);

/** The gate's verdict: the checked image, or the refusal's code; anything else thrown fails the case. */
function gate(c: ImageCase): { accepted?: ReturnType<typeof checkImage>; refused?: InvalidImageError } {
  const started = performance.now();
  try {
    return { accepted: checkImage(c.bytes) };
  } catch (error) {
    expect(error, `${c.kind}: checkImage threw something other than InvalidImageError`).toBeInstanceOf(InvalidImageError);
    return { refused: error as InvalidImageError };
  } finally {
    // Header checks only: even a 5 MB file is a few milliseconds; a slow case means the gate decodes.
    expect(performance.now() - started, `${c.kind}: checkImage took too long`).toBeLessThan(1_000);
  }
}

describe.skipIf(!facesAvailable)('hostile image files', () => {
  let stack: TestStack;
  let client: ReturnType<typeof onboardingClient>;
  let sent = 0;
  const START = 'mutation ($i: StartVerificationInput!) { startVerification(input: $i) { id uploads { purpose url headers } } }';
  const SUBMIT = 'mutation ($id: ID!) { submitVerification(id: $id) { id state } }';
  const withKey = () => ({ 'x-api-key': stack.apiKey });

  beforeAll(async () => {
    sources = await Promise.all(['photos/obama_1.jpg', 'photos/alex_3.png', 'people/amy_amy1.png', 'cards/facerec_biden_card.jpg'].map(async (name) => ({ name, bytes: await face(name) })));
    stack = await startTestStack({ config: { verification: { ...defaultVerificationPolicy, signup: 'open', attemptsPerSource: 100_000, attemptsPerEmail: 1_000 } } });
    client = onboardingClient(stack);
  }, 120_000);

  afterAll(async () => {
    tally.print();
    await stack?.stop();
  });

  it('the gate refuses what it must with a stable code, and what it lets through decodes or is refused as unreadable', async () => {
    await forEachCase(images, 5, async (c) => {
      const { accepted, refused } = gate(c);
      if (c.mustRefuse) expect(refused, `${c.kind} (${c.bytes.length} bytes) was accepted as ${JSON.stringify(accepted)}`).toBeDefined();
      if (refused) return tally.record([`InvalidImage ${refused.code}`]);
      // Through the gate: within the limits, of the format its bytes say...
      expect(accepted!.format).toBe(c.bytes[0] === 0x89 ? 'png' : 'jpeg');
      expect(accepted!.width * accepted!.height).toBeLessThanOrEqual(25_000_000);
      // ...and decoded as the offline matcher decodes it, or refused as unreadable, in bounded time.
      const decoded = await Promise.race([
        decodeImage(c.bytes).then(() => 'decoded', (error: unknown) => (error instanceof ImageDecodeError ? 'unreadable' : Promise.reject(error))),
        new Promise((resolve) => setTimeout(() => resolve('hang'), ANSWER_TIMEOUT_MS)),
      ]);
      expect(decoded, `${c.kind}: decoding did not finish`).not.toBe('hang');
      tally.record(decoded === 'decoded' ? [] : ['unreadable at decode']);
    }, 1);
  }, budgetMs(5));

  it('refused ID photos sent the whole way (start, upload, submit) get InvalidImage with the reason, and cost no attempt', async () => {
    // Only cases the gate refuses, each still a fuzzed file: submit must not reach the face models.
    const refusedImages = images.filter((c) => c.bytes.length > 0 && c.bytes.length <= 5 * 1024 * 1024 && (() => { try { checkImage(c.bytes); return false; } catch { return true; } })());
    await forEachCase(refusedImages, 0.1, async (c) => {
      const what = `${c.kind} (${c.bytes.length} bytes, declared ${c.declared})`;
      const email = `image-${++sent}@example.com`;
      const image = { contentType: c.declared, size: c.bytes.length };
      const start = await post(stack.graphqlUrl, JSON.stringify({ query: START, variables: { i: { email, name: 'Fuzz', consent: true, idDocument: image } } }), withKey());
      const startErrors = expectClearAnswer(start, `start for ${what}`);
      if (startErrors.length) return tally.record(startErrors);
      const session = (start.body as any).data.startVerification;
      for (const upload of session.uploads as Upload[]) {
        const response = await put(upload, c.bytes);
        expect(response.status, `upload of ${what}`).toBe(200);
      }
      const submit = await post(stack.graphqlUrl, JSON.stringify({ query: SUBMIT, variables: { id: session.id } }), withKey());
      const errorTypes = expectClearAnswer(submit, `submit of ${what}`);
      expect(errorTypes, `submit of ${what}`).toEqual(['InvalidImage']);
      const error = (submit.body as any).errors[0];
      expect(error.data.reason, what).toMatch(/^(EMPTY|TOO_LARGE|UNSUPPORTED_FORMAT|CORRUPT|TOO_SMALL|TOO_MANY_PIXELS)$/);
      expect(error.data.verification, what).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: defaultVerificationPolicy.attemptsPerSession });
      tally.record(errorTypes);
    }, 2);
  }, budgetMs(0.1));

  it('a PNG cut inside its IEND chunk, or after the bytes "IEND" inside its data, is refused as CORRUPT', () => {
    const png = sources.find((s) => s.name.endsWith('.png'))!.bytes;
    const inIend = png.subarray(0, png.lastIndexOf('IEND') + 6);
    const pixels = Buffer.concat([png.subarray(0, png.indexOf('IDAT') + 8), Buffer.from('IEND')]);
    for (const cut of [inIend, pixels]) expect(() => checkImage(cut)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });

  it('an upload whose type differs from the one the URL was signed for is refused by S3, and nothing is stored', async () => {
    const bytes = sources[0]!.bytes;
    const started = await client.start({ email: 'mislabel@example.com', idDocument: bytes });
    const session = started.data!.startVerification;
    for (const type of ['text/html', 'image/png', 'application/zip']) {
      const response = await put(session.uploads[0], bytes, type);
      expect(response.status, type).toBe(403);
      tally.record([`S3 ${response.status}`]);
    }
    const submitted = await client.submit(session.id);
    expect(submitted.errors?.[0]).toMatchObject({ errorType: 'ValidationError' });
  });

  it('still serves a normal onboarding afterwards: a session starts for real photos', async () => {
    const started = await client.start({ email: 'after-fuzz@example.com', idDocument: sources[3]!.bytes });
    expect(started.errors).toBeUndefined();
    expect(started.data!.startVerification).toMatchObject({ state: 'REQUIRES_INPUT', attemptsLeft: defaultVerificationPolicy.attemptsPerSession });
  });
});
