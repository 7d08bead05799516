// The offline matcher's decisions on people it was not shown in tests before, at the configured
// thresholds: a calibration run over a slice of ../shared/faces/lfw (4 people, 50 press photos,
// 11 of them with a second face), then every pair of that slice decided the way a verification
// decides it (compareFaces: the main face of the target, the policy's thresholds). The two must
// agree pair for pair, and the rates must be what the calibration recorded: nothing here is a
// hard-coded score. One engine (2 workers, a cache large enough for the slice) serves the file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVerificationPolicy } from '../../api/verification-policy.ts';
import { decide } from '../../functions/verification/decide.ts';
import { type CalibrationReport, type DescribedFolders, describeImages, evaluateDescriptors } from '../../local/faces/calibration.ts';
import { createFaceEngine, type PooledFaceEngine } from '../../local/faces/engine.ts';
import { OfflineFaceMatcher } from '../../local/offline-matcher.ts';
import { facesAvailable, facesDir } from '../helpers/faces.ts';

const SLICE = ['JavierSolana', 'CondoleezzaRice', 'CharlesMoose', 'ReneeZellweger'];
const lfw = path.join(facesDir, 'lfw');
const policy = defaultVerificationPolicy;

describe.skipIf(!facesAvailable)('offline matcher decisions on an lfw slice at the configured thresholds', () => {
  let engine: PooledFaceEngine;
  let matcher: OfflineFaceMatcher;
  let described: DescribedFolders;
  let report: Omit<CalibrationReport, 'folders' | 'images' | 'skipped'>;

  beforeAll(async () => {
    engine = await createFaceEngine({ workers: 2, cacheSize: 64 });
    matcher = new OfflineFaceMatcher(engine);
    described = await describeImages(lfw, engine, undefined, (image) => SLICE.some((p) => path.basename(image.file).startsWith(`${p}_`)));
    report = evaluateDescriptors(described.described);
  }, 600_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('calibrates every image of the slice, with the main face of those that show more than one', () => {
    expect(described.images.used).toBe(50);
    expect(described.skipped).toEqual([]);
    expect(described.images.multiFace).toBe(11);
    expect(report.people.map((p) => p.person).sort()).toEqual(SLICE.map((p) => p.toLowerCase()).sort());
    // 10, 11, 13 and 16 photos: 45 + 55 + 78 + 120 genuine pairs, the rest impostor.
    expect(report.pairs).toEqual({ genuine: 298, impostor: 927, excludedSameOrigin: 0 });
  });

  it('decides every pair as the calibration counted it: impostors refused, genuine pairs accepted or sent to review', async () => {
    const images = described.described;
    const bytes = await Promise.all(images.map((i) => readFile(i.file)));
    const counts = { genuine: { ACCEPT: 0, REVIEW: 0, REJECT: 0 }, impostor: { ACCEPT: 0, REVIEW: 0, REJECT: 0 } };
    for (let i = 0; i < images.length; i++) {
      for (let j = i + 1; j < images.length; j++) {
        const { similarity } = await matcher.compareFaces(bytes[i], bytes[j]);
        counts[images[i].person === images[j].person ? 'genuine' : 'impostor'][decide(similarity, policy, 'ONBOARDING')]++;
      }
    }
    const [accept, review] = report.atThresholds;
    expect(accept.rates.threshold).toBe(policy.acceptSimilarity);
    expect(review.rates.threshold).toBe(policy.reviewSimilarity);
    // What the calibration recorded, pair for pair.
    expect(counts.impostor.ACCEPT).toBe(accept.rates.falseAccepts);
    expect(counts.impostor.ACCEPT + counts.impostor.REVIEW).toBe(review.rates.falseAccepts);
    expect(counts.genuine.REVIEW + counts.genuine.REJECT).toBe(accept.rates.falseRejects);
    expect(counts.genuine.REJECT).toBe(review.rates.falseRejects);
    // What a user would notice: no impostor of the slice gets in, and few genuine people wait.
    expect(counts.impostor.ACCEPT).toBe(0);
    expect(counts.genuine.ACCEPT / report.pairs.genuine).toBeGreaterThan(0.85);
  }, 600_000);

  it('compares the central face, not a larger bystander at the edge', async () => {
    // ReneeZellweger_0015: the larger face is someone beside her.
    const group = await engine.analyze(await readFile(path.join(lfw, 'ReneeZellweger_0015.jpg')));
    expect(group.faces.length).toBe(2);
    const other = await readFile(path.join(lfw, 'ReneeZellweger_0001.jpg'));
    const withMain = await matcher.compareFaces(other, await readFile(path.join(lfw, 'ReneeZellweger_0015.jpg')));
    const largest = group.faces[0];
    expect(withMain.targetFace.boundingBox.left).not.toBeCloseTo(largest.box.x / group.width, 3);
    const otherFace = (await engine.analyze(other)).faces[0];
    expect(withMain.similarity).toBeGreaterThan(engine.similarity(otherFace.descriptor, largest.descriptor));
    expect(decide(withMain.similarity, policy, 'ONBOARDING')).not.toBe('REJECT');
  }, 120_000);
});
