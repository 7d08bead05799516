/**
 * Columns over time (tasks completed per day): one column per day, the number above it, the
 * day below, today set apart. Heights are CSS percentages of the busiest day, so they grow
 * when a task is completed.
 */
import type { Datum } from '../figures.ts';
import { AnimatedNumber } from './AnimatedNumber.tsx';

export function ColumnChart({ data }: { data: Datum[] }) {
  const max = Math.max(1, ...data.map((datum) => datum.value));
  return (
    <div className="dash-columns" style={{ gridTemplateColumns: `repeat(${data.length}, minmax(0, 1fr))` }}>
      {data.map((datum) => (
        <div className={`dash-column${datum.current ? ' dash-column-current' : ''}`} key={datum.key} title={`${datum.longLabel ?? datum.label}: ${datum.value}`}>
          <AnimatedNumber value={datum.value} className={`dash-column-value${datum.value === 0 ? ' dash-column-zero' : ''}`} />
          <span className="dash-column-track">
            <span className="dash-column-fill" style={{ height: `${(datum.value / max) * 100}%` }} data-value={datum.value} />
          </span>
          <span className="dash-column-label">
            <span className="dash-column-label-long">{datum.label}</span>
            <span className="dash-column-label-short">{datum.shortLabel ?? datum.label}</span>
          </span>
        </div>
      ))}
    </div>
  );
}
