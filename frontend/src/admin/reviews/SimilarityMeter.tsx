/**
 * How alike the live face and the ID photo are (0-100), on a bar with the policy's bands: below
 * review (rejected automatically), the review band (why the session is here), accept (would
 * have passed). Screen readers get the value and its band as the meter's text.
 */
import type { Thresholds } from './thresholds.ts';

export function SimilarityMeter({ value, thresholds }: { value: number | null; thresholds: Thresholds }) {
  if (value === null) return <p className="admin-meter-none">Similarity was not measured.</p>;
  const score = Math.round(value * 10) / 10;
  // Defaults are named as such: the running policy may draw its lines elsewhere.
  const band =
    score >= thresholds.accept ? `at or above the accept threshold`
    : score >= thresholds.review ? `in the review band`
    : `below the review threshold`;
  const policy = `review from ${thresholds.review}, accept from ${thresholds.accept}`;
  return (
    <div className="admin-meter-block">
      <div className="admin-meter-head">
        <span className="admin-meter-value">{score}</span>
        <span className="admin-meter-of">/ 100</span>
        <span className="admin-meter-band">{band}</span>
      </div>
      <div
        className="admin-meter"
        role="meter"
        aria-label="Similarity"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
        aria-valuetext={`${score} of 100, ${band}; ${policy}`}
      >
        <span className="admin-meter-zone admin-meter-reject" style={{ width: `${thresholds.review}%` }} />
        <span className="admin-meter-zone admin-meter-review" style={{ left: `${thresholds.review}%`, width: `${thresholds.accept - thresholds.review}%` }} />
        <span className="admin-meter-zone admin-meter-accept" style={{ left: `${thresholds.accept}%`, width: `${100 - thresholds.accept}%` }} />
        <span className="admin-meter-marker" style={{ left: `${Math.min(100, Math.max(0, score))}%` }} />
      </div>
      <div className="admin-meter-scale" aria-hidden="true">
        <span style={{ left: `${thresholds.review}%` }}>{thresholds.review}</span>
        <span style={{ left: `${thresholds.accept}%` }}>{thresholds.accept}</span>
      </div>
      <p className="admin-meter-policy">Thresholds: {policy}.</p>
    </div>
  );
}
