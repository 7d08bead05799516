/**
 * What bench/web runs inside the pages, as JavaScript source: installed with `addInitScript`
 * before the app's own scripts, read back with `page.evaluate`. Kept as strings on purpose: tsx
 * compiles with esbuild's keepNames, whose `__name` helper does not exist in the page, and the
 * root tsconfig (which covers bench/) has no DOM types.
 *
 * Everything lands in `window.__bench`; times are `performance.now()` (milliseconds since the
 * navigation started) unless a field says `Date.now()` (the machine's wall clock, the same for
 * every page of the browser).
 */

export interface ProbeOptions {
  /** How many cards the board must show. */
  cards: number;
  /** Page A of the propagation test: time each Status change and each MoveTasks request. */
  watchMoves?: boolean;
}

/** Installed before the app: watches for the cards, the "Live" status, the drawer, long tasks. */
export function probeScript({ cards, watchMoves = false }: ProbeOptions): string {
  return `(() => {
  const m = (window.__bench = {
    mounted: null, cards: null, cardsFrame: null, live: null, readyAt: null,
    drawerWanted: null, drawer: null, drawerFrame: null, clicks: [],
    longTasks: [], changes: [], sends: [], expect: null, seen: null, seenFrame: null,
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) m.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const frame = (set) => requestAnimationFrame(() => setTimeout(set, 0));
  const check = () => {
    if (m.mounted === null && document.querySelector('.board-page')) m.mounted = performance.now();
    if (m.cards === null && document.querySelectorAll('.board-column article[data-task-id]').length >= ${cards}) {
      m.cards = performance.now();
      frame(() => (m.cardsFrame = performance.now()));
    }
    if (m.live === null) {
      const status = document.querySelector('.shell-header [role="status"]');
      if (status && status.textContent.trim() === 'Live') m.live = performance.now();
    }
    if (m.drawerWanted !== null && m.drawer === null) {
      const heading = document.querySelector('.board-drawer h2');
      if (heading && heading.textContent === m.drawerWanted) {
        m.drawer = performance.now();
        frame(() => (m.drawerFrame = performance.now()));
      }
    }
    const x = m.expect;
    if (x && m.seen === null) {
      const column = [...document.querySelectorAll('section.board-column')].find((s) => {
        const h = s.querySelector('h2');
        return h && h.textContent === x.label;
      });
      if (column && column.querySelector('[data-task-id="' + x.id + '"]')) {
        m.seen = Date.now();
        frame(() => (m.seenFrame = Date.now()));
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  addEventListener('click', (e) => m.clicks.push({ timeStamp: e.timeStamp, handled: performance.now() }), true);
  if (${watchMoves}) {
    // Capture phase on window: runs just before React's own change handler, which sends the move.
    addEventListener('change', (e) => { if (e.target && e.target.tagName === 'SELECT') m.changes.push(Date.now()); }, true);
    const original = window.fetch;
    window.fetch = function (input, init) {
      const body = init && typeof init.body === 'string' ? init.body : '';
      if (body.indexOf('MoveTasks') < 0) return original.apply(this, arguments);
      const sent = { start: Date.now(), end: null, ok: null };
      m.sends.push(sent);
      return original.apply(this, arguments).then(
        (response) => { sent.end = Date.now(); sent.ok = response.ok; return response; },
        (error) => { sent.end = Date.now(); sent.ok = false; throw error; },
      );
    };
  }
})();`;
}

/**
 * Truthy once the cards are all there and the header says Live: then names the first card's title
 * link as the drawer to wait for and answers where to click it.
 */
export const READY = `(() => {
  const m = window.__bench;
  if (!m || m.cards === null || m.live === null) return false;
  const link = document.querySelector('.board-column article[data-task-id] h3 a');
  if (!link) return false;
  const r = link.getBoundingClientRect();
  m.readyAt = performance.now();
  m.drawerWanted = link.textContent;
  return { x: r.left + Math.min(r.width / 2, 24), y: r.top + r.height / 2, title: link.textContent };
})()`;

/** What one board load measured, read back after the drawer showed. */
export const COLLECT = `(() => {
  const m = window.__bench;
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource').map((r) => ({
    name: new URL(r.name).pathname, start: r.startTime, end: r.responseEnd, transfer: r.transferSize, type: r.initiatorType,
  }));
  return {
    mounted: m.mounted, cards: m.cards, cardsFrame: m.cardsFrame, live: m.live, readyAt: m.readyAt,
    drawer: m.drawer, drawerFrame: m.drawerFrame, clicks: m.clicks, longTasks: m.longTasks,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null, resources,
  };
})()`;
