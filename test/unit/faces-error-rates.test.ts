// The error-rate arithmetic behind the faces benchmark and `faces calibrate`, on small lists whose
// answers can be worked out by hand. Accept means score >= threshold.
import { describe, expect, it } from 'vitest';
import { equalErrorRate, ratesAt, rejectRateAtAcceptRate, scoreStats } from '../../local/faces/error-rates.ts';

describe('ratesAt', () => {
  it('counts impostors at or above and genuine pairs below the threshold', () => {
    const r = ratesAt([0.5, 0.6, 0.7, 0.8], [0.1, 0.55, 0.6, 0.9], 0.6);
    expect(r.falseAccepts).toBe(2); // 0.6 and 0.9
    expect(r.falseRejects).toBe(1); // 0.5
    expect(r.falseAcceptRate).toBe(0.5);
    expect(r.falseRejectRate).toBe(0.25);
  });
});

describe('equalErrorRate', () => {
  it('is 0 when every genuine score beats every impostor score', () => {
    const r = equalErrorRate([0.9, 0.95, 0.97], [0.1, 0.3, 0.5]);
    expect(r?.rate).toBe(0);
    expect(r?.threshold).toBeGreaterThan(0.5);
    expect(r?.threshold).toBeLessThanOrEqual(0.9);
  });

  it('finds the crossing on overlapping scores', () => {
    // 10 genuine, 10 impostor; at 0.55: genuine 0.5 is rejected (1/10), impostor 0.6 accepted (1/10).
    const genuine = [0.5, 0.62, 0.7, 0.72, 0.75, 0.8, 0.85, 0.9, 0.92, 0.95];
    const impostor = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.48, 0.6];
    const r = equalErrorRate(genuine, impostor);
    expect(r?.rate).toBeCloseTo(0.1, 10);
    expect(r?.falseAccepts).toBe(1);
    expect(r?.falseRejects).toBe(1);
    expect(r?.threshold).toBeGreaterThan(0.5);
    expect(r?.threshold).toBeLessThanOrEqual(0.6);
  });

  it('is null without both kinds of pairs', () => {
    expect(equalErrorRate([], [0.1])).toBeNull();
    expect(equalErrorRate([0.9], [])).toBeNull();
  });
});

describe('rejectRateAtAcceptRate', () => {
  it('allows at most the given share of impostors and reports the rejects there', () => {
    // 1000 impostors, all below 0.5 but two; 0.1 % allows exactly one.
    const impostor = Array.from({ length: 1000 }, (_, i) => i / 2000);
    impostor[998] = 0.97;
    impostor[999] = 0.99;
    const genuine = [0.95, 0.96, 0.98, 0.995, 0.999];
    const r = rejectRateAtAcceptRate(genuine, impostor, 0.001);
    expect(r?.falseAccepts).toBe(1); // only 0.99
    expect(r?.threshold).toBeGreaterThan(0.97);
    expect(r?.threshold).toBeLessThanOrEqual(0.98);
    expect(r?.falseRejects).toBe(2); // 0.95, 0.96
    expect(r?.falseRejectRate).toBeCloseTo(0.4, 10);
  });

  it('refuses every impostor when the allowed share rounds down to none', () => {
    const r = rejectRateAtAcceptRate([0.8, 0.9], [0.1, 0.85], 0.001);
    expect(r?.falseAccepts).toBe(0);
    expect(r?.threshold).toBe(0.9);
    expect(r?.falseRejects).toBe(1);
  });
});

describe('scoreStats', () => {
  it('gives count, mean, sd, min and max', () => {
    const s = scoreStats([1, 2, 3, 4]);
    expect(s).toMatchObject({ count: 4, mean: 2.5, min: 1, max: 4 });
    expect(s.sd).toBeCloseTo(Math.sqrt(1.25), 10);
  });
});
