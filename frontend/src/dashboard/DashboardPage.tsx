/**
 * The dashboard (`/dashboard`): the board's figures as charts that move as the board changes.
 * `/dashboard?wall` is the same page for a screen on the wall: no app header (the shell drops
 * it), large type, high contrast.
 */
import { Link, useLocation } from '../app/router.tsx';
import { useCurrentBoard } from '../boards/current-board.tsx';
import { EmptyState, ErrorBanner, Spinner } from '../ui/feedback.tsx';
import { BarChart } from './charts/BarChart.tsx';
import { ChartFigure } from './charts/ChartFigure.tsx';
import { ColumnChart } from './charts/ColumnChart.tsx';
import { DonutChart } from './charts/DonutChart.tsx';
import { DashboardHeader } from './DashboardHeader.tsx';
import { assigneeData, dayData, priorityData, statusData, summaryOf, tasks, type BoardStats } from './figures.ts';
import { StatTiles } from './StatTiles.tsx';
import { useBoardStats } from './useBoardStats.ts';
import { useTeammateNames } from './useTeammateNames.ts';
import './dashboard.css';

export default function DashboardPage() {
  const { search } = useLocation();
  const { id: boardId } = useCurrentBoard();
  return <DashboardView boardId={boardId} wall={search.has('wall')} />;
}

/**
 * One board's figures, live. `kiosk`: a wall screen signed in with a dashboard token (see
 * KioskPage), which reads the figures and nothing else: no names of people (the per-person
 * chart is left out), no way to the board.
 */
export function DashboardView({ boardId, wall, kiosk = false }: { boardId: string; wall: boolean; kiosk?: boolean }) {
  const { stats, loading, error, live, receivedAt, refetch } = useBoardStats(boardId);
  const updatedAt = stats?.updatedAt ? new Date(stats.updatedAt) : receivedAt;

  return (
    <section className={`dash${wall ? ' dash-wall' : ''}`} aria-labelledby="dash-title">
      <DashboardHeader wall={wall} kiosk={kiosk} live={live} updatedAt={updatedAt} />
      {error && <ErrorBanner error={stats ? `The figures may be out of date: ${error.message}` : error} onRetry={refetch} />}
      {loading ?
        <Spinner label="Loading the figures…" />
      : stats && (stats.total === 0 ? <EmptyBoard kiosk={kiosk} /> : kiosk ? <Charts stats={stats} names={null} /> : <NamedCharts stats={stats} />)}
    </section>
  );
}

function NamedCharts({ stats }: { stats: BoardStats }) {
  const names = useTeammateNames(stats.boardId, stats.openByAssignee.map((entry) => entry.assigneeId));
  return <Charts stats={stats} names={names} />;
}

/** The charts; `names` null leaves out the per-person chart (a kiosk may not read people). */
function Charts({ stats, names }: { stats: BoardStats; names: ReadonlyMap<string, string> | null }) {
  const summary = summaryOf(stats);
  const byStatus = statusData(stats);
  const byPriority = priorityData(stats);
  const byAssignee = names ? assigneeData(stats, names) : [];
  const perDay = dayData(stats);
  const today = perDay.at(-1)?.value ?? 0;

  return (
    <>
      <StatTiles summary={summary} />
      <div className="dash-grid">
        <ChartFigure title="Tasks by status" summary={`${tasks(summary.total)} on the board`} columns={['Status', 'Tasks']} rows={byStatus}>
          <DonutChart data={byStatus} unit={summary.total === 1 ? 'task' : 'tasks'} />
        </ChartFigure>
        <ChartFigure title="Tasks by priority" summary="All tasks, done ones included" columns={['Priority', 'Tasks']} rows={byPriority}>
          <BarChart data={byPriority} />
        </ChartFigure>
        {names && (
          <ChartFigure
            title="Open tasks per person"
            summary={byAssignee.length ? `${tasks(summary.open)} not done yet` : 'Nobody has open tasks'}
            columns={['Person', 'Open tasks']}
            rows={byAssignee}
          >
            {byAssignee.length ? <BarChart data={byAssignee} tone="single" limit={8} /> : <p className="dash-none">Every task is done.</p>}
          </ChartFigure>
        )}
        <ChartFigure
          title="Completed per day"
          summary={summary.doneInWindow ? `${tasks(summary.doneInWindow)} in the last 14 days, ${today} today` : 'Nothing completed in the last 14 days'}
          columns={['Day', 'Tasks completed']}
          rows={perDay}
          className="dash-card-wide"
        >
          <ColumnChart data={perDay} />
        </ChartFigure>
      </div>
    </>
  );
}

function EmptyBoard({ kiosk }: { kiosk: boolean }) {
  return (
    <div className="dash-empty">
      <EmptyState title="The board is empty">
        <p>There are no tasks yet, so there is nothing to chart. The figures appear here as soon as someone adds a task.</p>
        {!kiosk && (
          <p>
            <Link to="/board" className="button button-primary">
              Go to the board
            </Link>
          </p>
        )}
      </EmptyState>
    </div>
  );
}
