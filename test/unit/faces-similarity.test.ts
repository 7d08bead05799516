// Cosine similarity and its map onto Rekognition's 0-100 Similarity scale.
import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  cosineToSimilarity,
  descriptorSimilarity,
  RECOMMENDED_THRESHOLDS,
  SIMILARITY_ANCHORS,
  similarityToCosine,
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

describe('cosineToSimilarity', () => {
  it('passes through the documented anchors', () => {
    expect(cosineToSimilarity(0.917)).toBeCloseTo(80, 9);
    expect(cosineToSimilarity(0.921)).toBeCloseTo(90, 9);
    expect(cosineToSimilarity(0.93)).toBeCloseTo(99, 9);
    expect(cosineToSimilarity(1)).toBe(100);
  });

  it('is monotone and stays within 0-100', () => {
    let previous = -Infinity;
    for (let c = -1; c <= 1.0001; c += 0.0005) {
      const s = cosineToSimilarity(c);
      expect(s).toBeGreaterThanOrEqual(previous);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(100);
      previous = s;
    }
    // Strictly increasing between the lowest anchor and 1, where thresholds live.
    expect(cosineToSimilarity(0.9205)).toBeGreaterThan(cosineToSimilarity(0.9204));
  });

  it('is inverted by similarityToCosine', () => {
    for (const s of [1, 25, 40, 63.5, 80, 85, 90, 95, 99, 99.5]) {
      expect(cosineToSimilarity(similarityToCosine(s))).toBeCloseTo(s, 9);
    }
    for (const [c, s] of SIMILARITY_ANCHORS) expect(similarityToCosine(s)).toBeCloseTo(c, 12);
  });

  it('puts the recommended thresholds in order', () => {
    expect(RECOMMENDED_THRESHOLDS.accept).toBeGreaterThan(RECOMMENDED_THRESHOLDS.review);
    expect(similarityToCosine(RECOMMENDED_THRESHOLDS.accept)).toBeCloseTo(0.921, 9);
  });
});

describe('descriptorSimilarity', () => {
  it('maps identical descriptors to 100 and unrelated ones to 0', () => {
    const a = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: 128 }, (_, i) => Math.cos(i * 7));
    expect(descriptorSimilarity(a, a)).toBeCloseTo(100, 4);
    expect(descriptorSimilarity(a, b)).toBe(0);
  });
});
