/**
 * Horizontal bars: label, bar, number. Bars are CSS widths (a percentage of the largest value),
 * so a change slides them (`transition` in dashboard.css). Rows beyond `limit` are folded into
 * "n more" (the table of the figure still lists everyone).
 */
import type { Datum } from '../figures.ts';
import { AnimatedNumber } from './AnimatedNumber.tsx';

export interface BarChartProps {
  data: Datum[];
  /** A colour per row (`dash-tone-<key>`), or one colour for all. */
  tone?: 'by-key' | 'single';
  limit?: number;
}

export function BarChart({ data, tone = 'by-key', limit = data.length }: BarChartProps) {
  const max = Math.max(1, ...data.map((datum) => datum.value));
  const shown = data.slice(0, limit);
  const hidden = data.slice(limit);
  return (
    <div className="dash-bars">
      {shown.map((datum) => (
        <div className="dash-bar-row" key={datum.key}>
          <span className="dash-bar-label" title={datum.label}>
            {datum.label}
          </span>
          <span className="dash-bar-track">
            <span
              className={`dash-bar-fill ${tone === 'by-key' ? `dash-tone-${datum.key}` : 'dash-tone-single'}`}
              style={{ width: `${(datum.value / max) * 100}%` }}
              data-value={datum.value}
            />
          </span>
          <AnimatedNumber value={datum.value} className="dash-bar-value" />
        </div>
      ))}
      {hidden.length > 0 && (
        <p className="dash-bars-more">
          and {hidden.length} more with {hidden.reduce((sum, datum) => sum + datum.value, 0)} between them
        </p>
      )}
    </div>
  );
}
