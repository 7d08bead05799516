// The fused score of two descriptors and its map onto Rekognition's 0-100 Similarity scale.
import { describe, expect, it } from 'vitest';
import {
  ACCEPT_SCORE,
  ARCFACE_PART_LENGTH,
  cosineSimilarity,
  DESCRIPTOR_LENGTH,
  descriptorSimilarity,
  FUSION,
  joinDescriptors,
  matchScore,
  RECOMMENDED_THRESHOLDS,
  RESNET_LENGTH,
  REVIEW_SCORE,
  SIMILARITY_ANCHORS,
  scoreToSimilarity,
  similarityToScore,
} from '../../local/faces/similarity.ts';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, whatever the length', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
  });
  it('is 0 for orthogonal and -1 for opposite descriptors', () => {
    expect(cosineSimilarity([1, 0], [0, 5])).toBeCloseTo(0, 12);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12);
  });
  it('refuses descriptors of different lengths and treats a zero vector as unlike anything', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(/lengths differ/);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });
});

/** A joined descriptor whose two parts have the given cosines with `base()`'s parts. */
function withCosines(resnet: number, arcface: number): Float32Array {
  const part = (length: number, c: number) => Array.from({ length }, (_, i) => (i === 0 ? c : i === 1 ? Math.sqrt(1 - c * c) : 0));
  return joinDescriptors(part(RESNET_LENGTH, resnet), part(ARCFACE_PART_LENGTH, arcface));
}
const base = () => withCosines(1, 1);

describe('matchScore', () => {
  it('weighs each cosine in impostor standard deviations above the mean impostor', () => {
    const { resnet, arcface } = FUSION;
    // A pair at both means scores 0; one impostor sd up in both parts scores the sum of the weights.
    expect(matchScore(base(), withCosines(resnet.impostorMean, arcface.impostorMean))).toBeCloseTo(0, 5);
    const oneUp = withCosines(resnet.impostorMean + resnet.impostorSd, arcface.impostorMean + arcface.impostorSd);
    expect(matchScore(base(), oneUp)).toBeCloseTo(resnet.weight + arcface.weight, 5);
  });

  it('refuses descriptors that are not joined ones', () => {
    expect(() => matchScore(new Float32Array(128), new Float32Array(128))).toThrow(/640/);
    expect(() => joinDescriptors(new Float32Array(128), new Float32Array(128))).toThrow(/128 \+ 512/);
  });

  it('joins two parts of any length scale into unit parts', () => {
    const d = joinDescriptors(new Array(RESNET_LENGTH).fill(3), new Array(ARCFACE_PART_LENGTH).fill(-2));
    expect(d).toHaveLength(DESCRIPTOR_LENGTH);
    expect(cosineSimilarity(d.subarray(0, RESNET_LENGTH), new Array(RESNET_LENGTH).fill(1))).toBeCloseTo(1, 6);
    expect(Math.hypot(...d.subarray(RESNET_LENGTH))).toBeCloseTo(1, 5);
  });
});

describe('scoreToSimilarity', () => {
  it('passes through the anchors: review at 80, accept at 90', () => {
    expect(scoreToSimilarity(REVIEW_SCORE)).toBeCloseTo(80, 9);
    expect(scoreToSimilarity(ACCEPT_SCORE)).toBeCloseTo(90, 9);
    expect(scoreToSimilarity(0)).toBe(0);
    expect(scoreToSimilarity(100)).toBe(100);
  });

  it('is monotone and stays within 0-100', () => {
    let previous = -Infinity;
    for (let z = -30; z <= 12; z += 0.01) {
      const s = scoreToSimilarity(z);
      expect(s).toBeGreaterThanOrEqual(previous);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(100);
      previous = s;
    }
    expect(scoreToSimilarity(ACCEPT_SCORE + 0.001)).toBeGreaterThan(scoreToSimilarity(ACCEPT_SCORE));
  });

  it('is inverted by similarityToScore', () => {
    for (const s of [1, 25, 40, 63.5, 80, 85, 90, 95, 99, 99.5]) {
      expect(scoreToSimilarity(similarityToScore(s))).toBeCloseTo(s, 9);
    }
    for (const [z, s] of SIMILARITY_ANCHORS) expect(similarityToScore(s)).toBeCloseTo(z, 12);
  });

  it('puts the recommended thresholds on the accept and review anchors', () => {
    expect(similarityToScore(RECOMMENDED_THRESHOLDS.accept)).toBeCloseTo(ACCEPT_SCORE, 9);
    expect(similarityToScore(RECOMMENDED_THRESHOLDS.review)).toBeCloseTo(REVIEW_SCORE, 9);
  });
});

describe('descriptorSimilarity', () => {
  it('maps identical descriptors to 100 and unrelated ones to 0', () => {
    const a = joinDescriptors(Float32Array.from({ length: RESNET_LENGTH }, (_, i) => Math.sin(i)), Float32Array.from({ length: ARCFACE_PART_LENGTH }, (_, i) => Math.sin(i)));
    const b = joinDescriptors(Float32Array.from({ length: RESNET_LENGTH }, (_, i) => Math.cos(i * 7)), Float32Array.from({ length: ARCFACE_PART_LENGTH }, (_, i) => Math.cos(i * 7)));
    expect(descriptorSimilarity(a, a)).toBe(100);
    expect(descriptorSimilarity(a, b)).toBe(0);
  });
});
