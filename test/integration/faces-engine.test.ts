// The offline face engine on real photos (../shared/faces): what a person verifying their
// identity would notice. Same person matches, different people do not, ID cards match their
// owner in every scene, odd inputs give the right error, and the engine holds up under
// concurrent use. One engine (2 workers) serves the whole file.
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceMatchError } from '../../functions/verification/faces/face-matcher.ts';
import { createFaceEngine, FaceEngineError, type PooledFaceEngine } from '../../local/faces/engine.ts';
import { OfflineFaceMatcher } from '../../local/offline-matcher.ts';
import { DESCRIPTOR_LENGTH, RECOMMENDED_THRESHOLDS } from '../../local/faces/similarity.ts';
import { facesAvailable, facesDir } from '../helpers/faces.ts';

const available = facesAvailable;

const { accept: ACCEPT, review: REVIEW } = RECOMMENDED_THRESHOLDS;
const image = (file: string) => readFile(path.join(facesDir, file));

describe.skipIf(!available)('offline face engine on real photos', () => {
  let engine: PooledFaceEngine;
  let matcher: OfflineFaceMatcher;
  let tmp: string;

  beforeAll(async () => {
    engine = await createFaceEngine({ workers: 2 });
    matcher = new OfflineFaceMatcher(engine);
    tmp = mkdtempSync(path.join(tmpdir(), 'faces-engine-'));
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const similarity = async (source: string, target: string) => (await matcher.compareFaces(await image(source), await image(target))).similarity;

  it('matches two press photos of Obama and two TV stills of Penny', async () => {
    expect(await similarity('photos/obama_1.jpg', 'photos/obama_2.jpg')).toBeGreaterThanOrEqual(ACCEPT);
    expect(await similarity('people/penny_penny1.png', 'people/penny_penny2.png')).toBeGreaterThanOrEqual(ACCEPT);
  });

  it('keeps different people below the review threshold', async () => {
    expect(await similarity('photos/obama_1.jpg', 'photos/biden_2.jpg')).toBeLessThan(REVIEW);
    expect(await similarity('people/penny_penny1.png', 'people/amy_amy1.png')).toBeLessThan(REVIEW);
    expect(await similarity('photos/kit_1.jpg', 'photos/rose_1.jpg')).toBeLessThan(REVIEW);
  });

  it.each(['_card', '_card_on_desk', '_card_far'])('matches an ID card (%s) with another photo of its owner', async (scene) => {
    // The cards were printed from obama_1 and penny1: compare with other photos.
    expect(await similarity('photos/obama_2.jpg', `cards/facerec_obama${scene}.jpg`)).toBeGreaterThanOrEqual(ACCEPT);
    expect(await similarity('people/penny_penny3.png', `cards/bbt_penny${scene}.jpg`)).toBeGreaterThanOrEqual(ACCEPT);
    expect(await similarity('photos/biden_2.jpg', `cards/facerec_obama${scene}.jpg`)).toBeLessThan(REVIEW);
  });

  it('refuses a far-away card under the MEDIUM quality filter but compares it under NONE', async () => {
    const selfie = await image('photos/biden_2.jpg');
    const card = await image('cards/facerec_biden_card_far.jpg');
    expect((await matcher.compareFaces(selfie, card)).similarity).toBeGreaterThanOrEqual(ACCEPT);
    await expect(matcher.compareFaces(selfie, card, { qualityFilter: 'MEDIUM' })).rejects.toMatchObject({ code: 'NO_FACE_IN_TARGET' });
  });

  it('finds no face in a plain gradient and says which image it was', async () => {
    const gradient = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000' } })
      .composite([{ input: Buffer.from('<svg width="640" height="480"><defs><linearGradient id="g"><stop offset="0" stop-color="#224"/><stop offset="1" stop-color="#ddb"/></linearGradient></defs><rect width="640" height="480" fill="url(#g)"/></svg>') }])
      .png()
      .toBuffer();
    const file = path.join(tmp, 'gradient.png');
    await sharp(gradient).toFile(file);
    const noFace = await readFile(file);
    expect(await matcher.detectFaces(noFace)).toEqual([]);
    const selfie = await image('photos/obama_1.jpg');
    await expect(matcher.compareFaces(noFace, selfie)).rejects.toMatchObject({ code: 'NO_FACE_IN_SOURCE' });
    await expect(matcher.compareFaces(selfie, noFace)).rejects.toMatchObject({ code: 'NO_FACE_IN_TARGET' });
  });

  it('finds every face of a group photo, largest first, as ratios of the image', async () => {
    const faces = await matcher.detectFaces(await image('people/bbt4.jpg'));
    expect(faces.length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < faces.length; i++) {
      const { left, top, width, height } = faces[i].boundingBox;
      for (const v of [left, top, width, height]) expect(v).toBeGreaterThanOrEqual(0);
      expect(left + width).toBeLessThanOrEqual(1);
      expect(top + height).toBeLessThanOrEqual(1);
      expect(faces[i].confidence).toBeGreaterThan(80);
      if (i > 0) expect(width * height).toBeLessThanOrEqual(faces[i - 1].boundingBox.width * faces[i - 1].boundingBox.height + 1e-9);
    }
  });

  it('answers INVALID_IMAGE for bytes that are not an image', async () => {
    const garbage = new TextEncoder().encode('this is not a JPEG, it only wants to be one');
    await expect(matcher.detectFaces(garbage)).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
    await expect(matcher.compareFaces(garbage, await image('photos/obama_1.jpg'))).rejects.toBeInstanceOf(FaceMatchError);
    const truncated = (await image('photos/obama_2.jpg')).subarray(0, 5_000);
    await expect(matcher.detectFaces(truncated)).rejects.toMatchObject({ code: 'INVALID_IMAGE' });
  });

  it('refuses an image over 40 megapixels before decoding it', async () => {
    const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#888' } }).jpeg().toBuffer();
    await expect(matcher.detectFaces(huge)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('applies EXIF orientation: a phone photo stored sideways still has its face found', async () => {
    const original = await image('photos/obama_1.jpg');
    // Pixels turned 90 degrees clockwise, tagged "rotate 90 counter-clockwise to display" (6 is
    // clockwise; 8 undoes a clockwise turn), as a phone held sideways would store them.
    const sideways = await sharp(original).rotate(90).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const analysis = await engine.analyze(sideways);
    const upright = await engine.analyze(original);
    expect([analysis.width, analysis.height]).toEqual([upright.width, upright.height]);
    expect(analysis.faces).toHaveLength(1);
    expect(Math.abs(analysis.faces[0].pose.roll)).toBeLessThan(10);
    expect(engine.similarity(analysis.faces[0].descriptor, upright.faces[0].descriptor)).toBeGreaterThanOrEqual(ACCEPT);
    // Landmarks come in Rekognition's names, eyeLeft on the image left.
    const named = Object.fromEntries(analysis.faces[0].landmarks.map((l) => [l.type, l]));
    expect(named.eyeLeft.x).toBeLessThan(named.eyeRight.x);
    expect(named.nose.y).toBeGreaterThan(named.eyeLeft.y);
  });

  it('resolves six concurrent analyses of different images', async () => {
    const files = ['photos/obama_3.jpg', 'photos/kit_2.jpg', 'people/raj_raj1.png', 'cards/bbt_howard_card_on_desk.jpg', 'photos/rose_2.jpg', 'people/sheldon_sheldon2.png'];
    const results = await Promise.all(files.map(async (f) => engine.analyze(await image(f))));
    for (const r of results) {
      expect(r.faces.length).toBeGreaterThanOrEqual(1);
      expect(r.faces[0].descriptor).toHaveLength(DESCRIPTOR_LENGTH);
    }
  });

  it('analyzes the same bytes once: the second call (or a concurrent one) is answered by the cache', async () => {
    const bytes = await image('photos/alex_2.jpg');
    const before = engine.stats();
    const t0 = performance.now();
    const [a, b] = await Promise.all([engine.analyze(bytes), engine.analyze(Buffer.from(bytes))]);
    const first = performance.now() - t0;
    const t1 = performance.now();
    const c = await engine.analyze(bytes);
    const second = performance.now() - t1;
    const after = engine.stats();
    expect(after.analyses - before.analyses).toBe(1);
    expect(after.cacheHits - before.cacheHits).toBe(2);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(second).toBeLessThan(Math.max(5, first / 10));
  });

  it('runs its workers at a lower priority than the calling thread', () => {
    const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    let mainNice: number;
    try {
      mainNice = niceOf(readFileSync('/proc/thread-self/stat', 'utf8'));
    } catch {
      return; // Not Linux: nothing to check.
    }
    for (const worker of engine.workerReports()) {
      expect(worker.thread?.priorityError).toBeUndefined();
      expect(worker.thread?.nice).toBe(Math.min(19, Math.max(mainNice, 10)));
    }
    // The API's thread keeps its own priority.
    expect(niceOf(readFileSync('/proc/thread-self/stat', 'utf8'))).toBe(mainNice);
  });

  it('rejects the request a crashing worker held, replaces the worker and carries on', async () => {
    const bytes = await image('photos/kit_3.jpg');
    const respawns = engine.stats().respawns;
    engine.simulateCrash(0);
    // Both workers are idle: the first job goes to worker 0, which crashes while holding it.
    const [held, other] = await Promise.allSettled([engine.analyze(bytes), engine.analyze(await image('photos/kit_1.jpg'))]);
    expect(held.status).toBe('rejected');
    expect((held as PromiseRejectedResult).reason).toBeInstanceOf(FaceEngineError);
    expect((held as PromiseRejectedResult).reason.message).toMatch(/crashed/);
    expect(other.status).toBe('fulfilled');
    // A failure is not cached: the same bytes analyze fine on the replacement worker.
    const again = await engine.analyze(bytes);
    expect(again.faces).toHaveLength(1);
    expect(engine.stats().respawns).toBe(respawns + 1);
    await expect.poll(() => engine.workerReports().every((w) => w.ready), { timeout: 30_000 }).toBe(true);
  }, 60_000);
});
