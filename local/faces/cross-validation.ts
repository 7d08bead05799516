/**
 * People-disjoint cross-validation: how thresholds chosen on some people hold on others.
 *
 * A threshold chosen and measured on the same people flatters the matcher: at a false-accept rate
 * of 0.01 % it is set by the one or two most alike impostor pairs of that very set, and other
 * people bring other look-alikes (issue 19: 0.01 % measured on 14 people was 100 times worse on
 * 28 others). So: split the people into folds, choose each threshold on the pairs among the
 * people of all folds but one, count false accepts and rejects on the pairs among the people of
 * the fold left out, and repeat over several random splits. No pair mixes a training and a
 * held-out person. Pure arithmetic over described images; `bench/faces` and the tests call it.
 */
import type { DescribedImage } from './calibration.ts';
import { equalErrorRate, rejectRateAtAcceptRate } from './error-rates.ts';
import { matchScore } from './similarity.ts';
import { seededRandom } from '../../lib/seeded-random.ts';

/** Options of `crossValidate`. */
export interface CrossValidationOptions {
  /** Folds of people; default 4 (of 36 people: choose on 27, measure on 9). */
  folds?: number;
  /** Random splits into folds; default 10. */
  repetitions?: number;
  /** Seed of the splits, so a report can be reproduced; default 1. */
  seed?: number;
  /** False-accept rates at which thresholds are chosen on the training people; default 0.1 %, 0.01 %, 0.002 %. */
  targets?: readonly number[];
  /** The score of a pair; default `matchScore`. */
  score?: (a: ArrayLike<number>, b: ArrayLike<number>) => number;
}

/** Held-out counts for thresholds chosen at one false-accept rate, summed over every fold of every split. */
export interface HeldOutRates {
  /** The false-accept rate the thresholds were chosen at, on the training people. */
  target: number;
  /** Mean and range of the chosen thresholds (fused score). */
  threshold: { mean: number; min: number; max: number };
  falseAccepts: number;
  impostorPairs: number;
  falseRejects: number;
  genuinePairs: number;
  falseAcceptRate: number;
  falseRejectRate: number;
}

/** What `crossValidate` reports. */
export interface CrossValidationReport {
  people: number;
  folds: number;
  repetitions: number;
  /** Equal error rate of each held-out fold (threshold-free): mean and range. */
  equalErrorRate: { mean: number; min: number; max: number };
  heldOut: HeldOutRates[];
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Cross-validates thresholds over `items` (needs at least `folds` people). Pairs from one source image are left out, as in calibration. */
export function crossValidate(items: readonly DescribedImage[], options: CrossValidationOptions = {}): CrossValidationReport {
  const folds = options.folds ?? 4;
  const repetitions = options.repetitions ?? 10;
  const targets = options.targets ?? [0.001, 0.0001, 0.00002];
  const score = options.score ?? matchScore;
  const people = [...new Set(items.map((i) => i.person))].sort();
  if (people.length < folds) throw new Error(`cross-validation needs at least ${folds} people, got ${people.length}`);

  // Every pair scored once: [i, j, score, genuine].
  const pairs: { i: number; j: number; score: number; genuine: boolean }[] = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (items[i].origin === items[j].origin) continue;
      pairs.push({ i, j, score: score(items[i].descriptor, items[j].descriptor), genuine: items[i].person === items[j].person });
    }
  }

  const next = seededRandom(options.seed ?? 1);
  const eers: number[] = [];
  const sums = targets.map((target) => ({ target, thresholds: [] as number[], fa: 0, imp: 0, fr: 0, gen: 0 }));
  for (let rep = 0; rep < repetitions; rep++) {
    const order = shuffled(people, next);
    for (let k = 0; k < folds; k++) {
      const heldOut = new Set(order.filter((_, index) => index % folds === k));
      const side = (index: number) => heldOut.has(items[index].person);
      const train = { genuine: [] as number[], impostor: [] as number[] };
      const test = { genuine: [] as number[], impostor: [] as number[] };
      for (const p of pairs) {
        const a = side(p.i);
        if (a !== side(p.j)) continue;
        (a ? test : train)[p.genuine ? 'genuine' : 'impostor'].push(p.score);
      }
      const eer = equalErrorRate(test.genuine, test.impostor);
      if (eer) eers.push(eer.rate);
      for (const sum of sums) {
        const chosen = rejectRateAtAcceptRate(train.genuine, train.impostor, sum.target);
        if (!chosen) continue;
        sum.thresholds.push(chosen.threshold);
        sum.fa += test.impostor.filter((s) => s >= chosen.threshold).length;
        sum.imp += test.impostor.length;
        sum.fr += test.genuine.filter((s) => s < chosen.threshold).length;
        sum.gen += test.genuine.length;
      }
    }
  }
  const spread = (values: number[]) => ({
    mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
    min: Math.min(...values),
    max: Math.max(...values),
  });
  return {
    people: people.length,
    folds,
    repetitions,
    equalErrorRate: spread(eers),
    heldOut: sums.map((s) => ({
      target: s.target,
      threshold: spread(s.thresholds),
      falseAccepts: s.fa,
      impostorPairs: s.imp,
      falseRejects: s.fr,
      genuinePairs: s.gen,
      falseAcceptRate: s.imp ? s.fa / s.imp : NaN,
      falseRejectRate: s.gen ? s.fr / s.gen : NaN,
    })),
  };
}
