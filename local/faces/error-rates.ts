/**
 * Error rates of a verifier from its scores: pure arithmetic, no images. A pair is accepted when
 * its score is at least the threshold (higher = more alike), on whichever scale the scores are
 * (cosine or the 0-100 similarity).
 */

/** Rates at one threshold. */
export interface RatesAt {
  threshold: number;
  /** Share of impostor pairs accepted (score >= threshold). */
  falseAcceptRate: number;
  /** Share of genuine pairs rejected (score < threshold). */
  falseRejectRate: number;
  /** The counts behind the rates. */
  falseAccepts: number;
  falseRejects: number;
}

/** Summary of one set of scores. */
export interface ScoreStats {
  count: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** Ascending copy. */
function sorted(values: readonly number[]): number[] {
  return Float64Array.from(values).sort() as unknown as number[];
}

/** Number of values in ascending `xs` that are < t. */
function countBelow(xs: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** False accept and reject rates when accepting scores >= `threshold`. */
export function ratesAt(genuine: readonly number[], impostor: readonly number[], threshold: number): RatesAt {
  return ratesSorted(sorted(genuine), sorted(impostor), threshold);
}

function ratesSorted(g: ArrayLike<number>, i: ArrayLike<number>, threshold: number): RatesAt {
  const falseRejects = countBelow(g, threshold);
  const falseAccepts = i.length - countBelow(i, threshold);
  return {
    threshold,
    falseAcceptRate: i.length ? falseAccepts / i.length : NaN,
    falseRejectRate: g.length ? falseRejects / g.length : NaN,
    falseAccepts,
    falseRejects,
  };
}

/** Every distinct score, ascending, then +Infinity (the threshold that accepts nothing). */
function candidateThresholds(g: ArrayLike<number>, i: ArrayLike<number>): number[] {
  const all = Float64Array.from([...Array.from(g), ...Array.from(i)]).sort();
  const out: number[] = [];
  for (const v of all) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  out.push(Infinity);
  return out;
}

/**
 * The equal error rate: where false accepts and false rejects are equally common. Scores are
 * discrete, so the two curves rarely meet exactly; we take the candidate threshold (an observed
 * score) where they are closest and report their mean there, with the threshold.
 * `null` without both genuine and impostor scores.
 */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): (RatesAt & { rate: number }) | null {
  if (genuine.length === 0 || impostor.length === 0) return null;
  const g = sorted(genuine);
  const i = sorted(impostor);
  let best: RatesAt | null = null;
  for (const t of candidateThresholds(g, i)) {
    const r = ratesSorted(g, i, t);
    if (!best || Math.abs(r.falseAcceptRate - r.falseRejectRate) < Math.abs(best.falseAcceptRate - best.falseRejectRate)) best = r;
    // Past the crossing the gap only widens.
    if (r.falseRejectRate > r.falseAcceptRate) break;
  }
  const r = best as RatesAt;
  return { ...r, rate: (r.falseAcceptRate + r.falseRejectRate) / 2 };
}

/**
 * The lowest threshold whose false accept rate is at most `maxFalseAcceptRate` (e.g. 0.001), and
 * the false reject rate there. The threshold is an observed score (the next one above the last
 * impostor that must be refused), so "accept when score >= threshold" reproduces the rates.
 * `null` without both genuine and impostor scores.
 */
export function rejectRateAtAcceptRate(genuine: readonly number[], impostor: readonly number[], maxFalseAcceptRate: number): RatesAt | null {
  if (genuine.length === 0 || impostor.length === 0) return null;
  const g = sorted(genuine);
  const i = sorted(impostor);
  const allowed = Math.floor(maxFalseAcceptRate * i.length + 1e-9);
  if (allowed >= i.length) return ratesSorted(g, i, -Infinity);
  // Every impostor at or below this score must be refused.
  const lastRefused = i[i.length - 1 - allowed];
  const threshold = candidateThresholds(g, i).find((t) => t > lastRefused) as number;
  return ratesSorted(g, i, threshold);
}

/** Count, mean, standard deviation, min and max. */
export function scoreStats(values: readonly number[]): ScoreStats {
  const count = values.length;
  if (count === 0) return { count, mean: NaN, sd: NaN, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / count;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { count, mean, sd: Math.sqrt(sq / count), min, max };
}
