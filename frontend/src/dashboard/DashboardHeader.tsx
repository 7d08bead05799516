/**
 * The dashboard's title bar: when the figures last changed, whether updates are live, and the
 * way onto (and off) the wall screen, with full screen where the browser offers it.
 */
import { useEffect, useState } from 'react';
import { Link } from '../app/router.tsx';
import type { LiveState } from './useBoardStats.ts';
import { useFullscreen } from './useFullscreen.ts';

const LIVE_LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export interface DashboardHeaderProps {
  wall: boolean;
  /** A kiosk (dashboard token): always the wall layout, no way out of it. */
  kiosk?: boolean;
  live: LiveState;
  /** When the figures last changed (or were last read, when the server does not say). */
  updatedAt: Date | undefined;
}

export function DashboardHeader({ wall, kiosk = false, live, updatedAt }: DashboardHeaderProps) {
  const fullscreen = useFullscreen();
  return (
    <header className="dash-header">
      <div className="dash-heading">
        <h1 id="dash-title">{wall ? 'SecureTask board' : 'Dashboard'}</h1>
        <p className="dash-meta">
          <span className={`dash-live dash-live-${live}`} role="status">
            <span className="dash-live-dot" aria-hidden="true" />
            {LIVE_LABELS[live]}
          </span>
          {updatedAt && <LastUpdated at={updatedAt} />}
        </p>
      </div>
      <div className="dash-actions">
        {fullscreen.supported && (
          <button type="button" className="button" onClick={fullscreen.toggle} aria-pressed={fullscreen.active}>
            Full screen
          </button>
        )}
        {kiosk ? null : wall ? (
          <Link to="/dashboard" className="button">
            Leave wall mode
          </Link>
        ) : (
          <Link to="/dashboard?wall" className="button">
            Wall mode
          </Link>
        )}
      </div>
    </header>
  );
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateAndClock = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "Last updated 14:03:12 · 5 minutes ago", the second part ticking so a frozen screen shows. */
function LastUpdated({ at }: { at: Date }) {
  const now = useNow(30_000);
  const seconds = Math.max(0, Math.round((now - at.getTime()) / 1000));
  const sameDay = new Date(now).toDateString() === at.toDateString();
  const ago =
    seconds < 60 ? 'just now'
    : seconds < 3600 ? relative.format(-Math.floor(seconds / 60), 'minute')
    : seconds < 86_400 ? relative.format(-Math.floor(seconds / 3600), 'hour')
    : relative.format(-Math.floor(seconds / 86_400), 'day');
  return (
    <span className="dash-updated">
      Last updated{' '}
      <time dateTime={at.toISOString()}>{sameDay ? clock.format(at) : dateAndClock.format(at)}</time>
      <span className="dash-updated-ago"> · {ago}</span>
    </span>
  );
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
