// People-disjoint cross-validation: thresholds chosen on some people, counted on the others.
import { describe, expect, it } from 'vitest';
import type { DescribedImage } from '../../local/faces/calibration.ts';
import { crossValidate } from '../../local/faces/cross-validation.ts';

/** Person p's k-th image: a 1-D "descriptor" that the test's score reads directly. */
function item(p: number, k: number, value: number): DescribedImage {
  return { person: `p${p}`, file: `/x/p${p}_${k}.jpg`, origin: `/x/p${p}_${k}.jpg`, descriptor: [p, value] };
}

// Same person: score 10; different people: score = the product of their values (one look-alike pair scores 12).
const score = (a: ArrayLike<number>, b: ArrayLike<number>) => (a[0] === b[0] ? 10 : a[1] * b[1]);

describe('crossValidate', () => {
  const items: DescribedImage[] = [];
  for (let p = 0; p < 8; p++) for (let k = 0; k < 3; k++) items.push(item(p, k, p === 0 || p === 1 ? 3.4 + k * 0.1 : 1 + p * 0.01 + k * 0.001));

  it('never pairs a training person with a held-out one, and counts every held-out pair once per split', () => {
    const r = crossValidate(items, { folds: 4, repetitions: 3, score, targets: [0.01] });
    expect(r).toMatchObject({ people: 8, folds: 4, repetitions: 3 });
    // Each fold holds out 2 people (6 images): 3 + 3 genuine pairs and 9 impostor pairs; 4 folds x 3 splits.
    expect(r.heldOut[0].genuinePairs).toBe(4 * 3 * 6);
    expect(r.heldOut[0].impostorPairs).toBe(4 * 3 * 9);
  });

  it('lets a look-alike pair through when neither look-alike was there to choose the threshold', () => {
    const r = crossValidate(items, { folds: 4, repetitions: 30, score, targets: [0] });
    const h = r.heldOut[0];
    // Thresholds are chosen above every training impostor (the next score up is a genuine 10):
    // when p0 and p1 are held out together, their 9 pairs (scores 11.6-13) beat it and count.
    expect(h.falseAccepts).toBeGreaterThan(0);
    expect(h.falseAccepts % 9).toBe(0);
    // And when both look-alikes train, the threshold goes above them (13) and refuses every
    // held-out genuine pair (6 per fold): the cost of choosing on people with look-alikes.
    expect(h.falseRejects).toBeGreaterThan(0);
    expect(h.falseRejects % 6).toBe(0);
    expect(h.falseAcceptRate).toBeCloseTo(h.falseAccepts / h.impostorPairs, 12);
  });

  it('refuses fewer people than folds', () => {
    expect(() => crossValidate(items.slice(0, 6), { folds: 4, score })).toThrow(/at least 4 people/);
  });
});
