/**
 * The frame of every chart: a card with a heading, the drawing (hidden from screen readers) and
 * the same numbers as a table for them (visually hidden). The drawing is decoration; the table
 * is the chart's text alternative, so nothing is announced twice.
 */
import { useId, type ReactNode } from 'react';
import type { Datum } from '../figures.ts';

export interface ChartFigureProps {
  title: string;
  /** One sentence under the heading (the headline of the chart, e.g. "12 open tasks"). */
  summary?: ReactNode;
  /** The table's column headings: what a row is, and what its number counts. */
  columns: [string, string];
  rows: Datum[];
  /** The drawing. */
  children: ReactNode;
  className?: string;
}

export function ChartFigure({ title, summary, columns, rows, children, className = '' }: ChartFigureProps) {
  const titleId = useId();
  return (
    <figure className={`dash-card ${className}`} aria-labelledby={titleId}>
      <figcaption className="dash-card-caption">
        <h2 id={titleId}>{title}</h2>
        {summary && <p className="dash-card-summary">{summary}</p>}
      </figcaption>
      <div className="dash-card-chart" aria-hidden="true">
        {children}
      </div>
      {/* Hidden by a wrapper: a table ignores the overflow and size that would hide it. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{columns[0]}</th>
              <th scope="col">{columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.longLabel ?? row.label}</th>
                <td>{row.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
