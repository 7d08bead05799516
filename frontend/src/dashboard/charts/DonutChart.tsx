/**
 * A donut of parts of a whole, with its total in the middle and a legend. Drawn as SVG circles
 * whose dash covers each slice (a circle of circumference 100, so a slice's dash is its
 * percentage); the dash lengths are CSS properties, so slices slide when the figures change.
 */
import type { Datum } from '../figures.ts';
import { AnimatedNumber } from './AnimatedNumber.tsx';

/** r = 100 / 2π: the circumference is 100 units. */
const RADIUS = 15.9155;
/** A sliver of background between slices, so neighbours stay apart. */
const GAP = 0.6;

export interface DonutChartProps {
  data: Datum[];
  /** The word under the total ("tasks"). */
  unit: string;
}

export function DonutChart({ data, unit }: DonutChartProps) {
  const total = data.reduce((sum, datum) => sum + datum.value, 0);
  const nonEmpty = data.filter((datum) => datum.value > 0).length;
  let start = 0;
  return (
    <div className="dash-donut">
      <svg className="dash-donut-svg" viewBox="0 0 42 42" role="presentation" focusable="false">
        <circle className="dash-donut-ring" cx="21" cy="21" r={RADIUS} />
        {data.map((datum) => {
          const share = total ? (datum.value / total) * 100 : 0;
          const gap = nonEmpty > 1 && share > GAP * 2 ? GAP : 0;
          const slice = (
            <circle
              key={datum.key}
              className={`dash-donut-slice dash-tone-${datum.key}`}
              cx="21"
              cy="21"
              r={RADIUS}
              style={{ strokeDasharray: `${Math.max(0, share - gap)} ${100 - Math.max(0, share - gap)}`, strokeDashoffset: 25 - start }}
              data-value={datum.value}
            />
          );
          start += share;
          return slice;
        })}
      </svg>
      <div className="dash-donut-center">
        <AnimatedNumber value={total} className="dash-donut-total" />
        <span className="dash-donut-unit">{unit}</span>
      </div>
      <ul className="dash-legend">
        {data.map((datum) => (
          <li key={datum.key}>
            <span className={`dash-swatch dash-tone-${datum.key}`} />
            <span className="dash-legend-label">{datum.label}</span>
            <AnimatedNumber value={datum.value} className="dash-legend-value" />
            <span className="dash-legend-share">{total ? Math.round((datum.value / total) * 100) : 0}%</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
