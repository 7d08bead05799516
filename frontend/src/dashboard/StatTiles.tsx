/** The headline numbers above the charts: total, open, overdue, done in the last 14 days. */
import { AnimatedNumber } from './charts/AnimatedNumber.tsx';
import type { summaryOf } from './figures.ts';

export function StatTiles({ summary }: { summary: ReturnType<typeof summaryOf> }) {
  const overdueShare = summary.open ? Math.round((summary.overdue / summary.open) * 100) : 0;
  return (
    <dl className="dash-tiles">
      <div className="dash-tile">
        <dt>Tasks on the board</dt>
        <dd>
          <AnimatedNumber value={summary.total} className="dash-tile-value" />
        </dd>
      </div>
      <div className="dash-tile">
        <dt>Open</dt>
        <dd>
          <AnimatedNumber value={summary.open} className="dash-tile-value" />
          <span className="dash-tile-note">not done yet</span>
        </dd>
      </div>
      <div className={`dash-tile${summary.overdue > 0 ? ' dash-tile-alert' : ''}`}>
        <dt>Overdue</dt>
        <dd>
          <AnimatedNumber value={summary.overdue} className="dash-tile-value" />
          <span className="dash-tile-note">{summary.overdue > 0 ? `${overdueShare}% of open tasks` : 'nothing past its due date'}</span>
          <span className="dash-tile-meter" aria-hidden="true">
            <span style={{ width: `${overdueShare}%` }} />
          </span>
        </dd>
      </div>
      <div className="dash-tile">
        <dt>Done in 14 days</dt>
        <dd>
          <AnimatedNumber value={summary.doneInWindow} className="dash-tile-value" />
        </dd>
      </div>
    </dl>
  );
}
