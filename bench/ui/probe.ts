// Page-side probes for the UI benchmark, as plain JavaScript source (the bench compiles against Node's
// types, not the DOM's). The init script runs before any app code in every document:
// - records when the dashboard first shows `miners` cards plus a chart that has points and drawn lines
//   (`domAt`: the DOM commit seen by a MutationObserver; `paintAt`: the frame after it was painted),
//   and on the way there when all cards were in (`cardsAt`) and when the chart had rows (`pointsAt`);
// - counts the `stats` Server-Sent Events the app receives, to prove the 1 Hz stream was flowing.

export function initScript(miners: number): string {
  return `(() => {
  const bench = { miners: ${miners}, cardsAt: null, pointsAt: null, domAt: null, paintAt: null, statsEvents: 0 };
  Object.defineProperty(window, '__bench', { value: bench });
  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      this.addEventListener('stats', () => { bench.statsEvents += 1; });
    }
  };
  const ready = () => {
    if (document.querySelectorAll('[data-testid^="miner-card-"]').length < bench.miners) return false;
    if (bench.cardsAt === null) bench.cardsAt = performance.now();
    const chart = document.querySelector('[data-testid="hashrate-chart"]');
    if (!chart || !(Number(chart.getAttribute('data-points')) > 0)) return false;
    if (bench.pointsAt === null) bench.pointsAt = performance.now();
    return chart.querySelectorAll('.recharts-line-curve').length >= bench.miners;
  };
  const observer = new MutationObserver(() => {
    if (bench.domAt !== null || !ready()) return;
    bench.domAt = performance.now();
    observer.disconnect();
    // The frame that paints this DOM runs after the next animation frame callback.
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { bench.paintAt = performance.now(); };
      ch.port2.postMessage(null);
    });
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;
}

/** Expression returning the first-render record plus navigation and paint timings of this document. */
export const READ_RENDER = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const res = performance.getEntriesByType('resource');
  const end = (pred) => {
    const ends = res.filter((r) => pred(r.name)).map((r) => r.responseEnd);
    return ends.length ? Math.max(...ends) : null;
  };
  return {
    cardsAt: window.__bench.cardsAt,
    pointsAt: window.__bench.pointsAt,
    scriptLoaded: end((u) => u.endsWith('.js')),
    snapshotLoaded: end((u) => u.endsWith('/api/getSnapshot')),
    historyLoaded: end((u) => u.endsWith('/api/getHistory')),
    historyRequests: res.filter((r) => r.name.endsWith('/api/getHistory')).length,
    domAt: window.__bench.domAt,
    paintAt: window.__bench.paintAt,
    responseEnd: nav ? nav.responseEnd : null,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
    firstContentfulPaint: fcp ? fcp.startTime : null,
    transferBytes: res.reduce((n, r) => n + (r.transferSize || 0), 0),
  };
})()`;

export interface RenderRecord {
  cardsAt: number | null;
  pointsAt: number | null;
  scriptLoaded: number | null;
  snapshotLoaded: number | null;
  historyLoaded: number | null;
  historyRequests: number;
  domAt: number | null;
  paintAt: number | null;
  responseEnd: number | null;
  domContentLoaded: number | null;
  load: number | null;
  firstContentfulPaint: number | null;
  transferBytes: number;
}

export const READ_STATS_EVENTS = 'window.__bench.statsEvents';
export const READ_CHART_POINTS =
  "Number(document.querySelector('[data-testid=\"hashrate-chart\"]')?.getAttribute('data-points') ?? 0)";

/** What the page shows, for a timeout message. */
export const DIAGNOSE = `(() => ({
  url: location.href,
  pages: [...document.querySelectorAll('[data-testid^="page-"], [data-testid="firstrun"], [data-testid^="app-"]')].map((e) => e.dataset.testid),
  cards: document.querySelectorAll('[data-testid^="miner-card-"]').length,
  chartPoints: document.querySelector('[data-testid="hashrate-chart"]')?.getAttribute('data-points') ?? null,
  lines: document.querySelectorAll('.recharts-line-curve').length,
  paths: document.querySelectorAll('[data-testid="hashrate-chart"] path').length,
  bench: window.__bench ?? null,
}))()`;
