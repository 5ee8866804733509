// The dashboard chart: hashrate (or measured CPU %) per miner over 5 m / 1 h / 24 h on a shared linear or
// log axis, or one small chart per miner. Lines keep their colour, break where a miner did not run, carry markers for
// starts, stops, crashes, pauses and throttle changes, and can be hidden from the legend.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatClock, formatDateTime } from '../../format/time';
import { CHART_RANGES, RANGE_LABEL } from '../../store/chartRange';
import { useChartStore, type ChartMetric } from '../../store/chartStore';
import { lineColors } from '../../store/lineColors';
import { useMinersStore } from '../../store/minersStore';
import { useSettingsStore } from '../../store/settingsStore';
import { useUiStore, type ChartView } from '../../store/uiStore';
import { buildGrid, type Grid } from '../../store/chartRows';
import { ChartLegend, type LegendEntry } from './ChartLegend';
import { LinePlot, MARKER_GLYPHS, type PlotEvent, type PlotSeries } from './LinePlot';

const VIEWS: readonly { view: ChartView; label: string }[] = [
  { view: 'linear', label: 'Linear' },
  { view: 'log', label: 'Log' },
  { view: 'split', label: 'Per miner' },
];
const HEIGHT = 236;
const SMALL_HEIGHT = 110;
/** Until the figure is measured: the page is at most 1,200 px wide, less its padding and the card's. */
const estimatedWidth = (): number =>
  typeof window === 'undefined' ? 1000 : Math.max(300, Math.min(window.innerWidth, 1200) - 74);
const Y_AXIS_WIDTH = 100;
const EVENTS_LISTED = 8;

function ToggleGroup<T extends string>(props: {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  testPrefix: string;
}) {
  return (
    <div className="button-group" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          className="btn btn-small"
          aria-pressed={o.value === props.value}
          data-testid={`${props.testPrefix}-${o.value}`}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

const RANGE_OPTIONS = CHART_RANGES.map((r) => ({ value: r, label: RANGE_LABEL[r] }));
const VIEW_OPTIONS = VIEWS.map((v) => ({ value: v.view, label: v.label }));
// CPU is 0–100 % of one computer: a log axis adds nothing there.
const CPU_VIEW_OPTIONS = VIEW_OPTIONS.filter((v) => v.value !== 'log');
const METRIC_OPTIONS: readonly { value: ChartMetric; label: string }[] = [
  { value: 'hashrate', label: 'Hashrate' },
  { value: 'cpu', label: 'CPU %' },
];
const TITLES: Record<ChartMetric, string> = {
  hashrate: 'Hashrate',
  cpu: 'CPU use, % of this computer',
};

/** The figure's width, measured once and on resize (not per row or per render). */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(estimatedWidth);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // The observer reports the size after layout; reading clientWidth here would force one early.
    const observer = new ResizeObserver((entries) => {
      const w = entries[entries.length - 1]?.contentRect.width ?? 0;
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * The plot mounts once the dashboard above it has been painted (the frame after the first one), so the
 * cards show first and recharts' set-up never delays them. The axis' time format is built in the same
 * step: the first Intl.DateTimeFormat in a fresh page loads locale data.
 */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // rAF runs just before the next paint; the task it queues runs after that paint.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        // The axis format: the others (dates of the day view, tooltips) are built when first needed.
        formatClock(Date.now(), false);
        setReady(true);
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return ready;
}

function EventList({ events, names }: { events: readonly PlotEvent[]; names: Record<string, string> }) {
  const [open, setOpen] = useState(false);
  if (events.length === 0) return null;
  const recent = open ? events.slice(-EVENTS_LISTED).reverse() : [];
  return (
    <details
      className="chart-events"
      data-testid="chart-events"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        Events in view ({events.length}): {MARKER_GLYPHS.start} start/resume, {MARKER_GLYPHS.stop} stop,{' '}
        {MARKER_GLYPHS.crash} crash, {MARKER_GLYPHS.pause} pause, {MARKER_GLYPHS.restart} restart,{' '}
        {MARKER_GLYPHS.throttle} throttle
      </summary>
      <ul>
        {recent.map(({ id, event }) => (
          <li key={`${id}:${event.kind}:${event.at}`} data-kind={event.kind}>
            <span aria-hidden="true">{MARKER_GLYPHS[event.kind]} </span>
            {formatDateTime(event.at)} — {event.text || `${names[id] ?? id}: ${event.kind}`}
          </li>
        ))}
      </ul>
    </details>
  );
}

export const HashrateChart = memo(function HashrateChart() {
  const range = useUiStore((s) => s.chartRange);
  // Minute-based views redraw when a minute closes (or every few seconds), not on every sample.
  const version = useChartStore((s) => (range === '5m' ? s.version : s.coarseVersion));
  const metric = useUiStore((s) => s.chartMetric);
  const chosenView = useUiStore((s) => s.chartView);
  const view: ChartView = metric === 'cpu' && chosenView === 'log' ? 'linear' : chosenView;
  const hidden = useUiStore((s) => s.hiddenLines);
  const ids = useMinersStore((s) => s.order);
  const names = useMinersStore(useShallow((s) => s.order.map((id) => s.byId[id]?.name ?? id)));
  const interval = useSettingsStore((s) => s.settings?.statsIntervalMs ?? 1000);
  const figure = useRef<HTMLElement>(null);
  const width = useWidth(figure);
  const ready = useAfterFirstPaint();

  const colors = useMemo(() => lineColors(ids), [ids]);
  const nameOf = useMemo(() => Object.fromEntries(ids.map((id, i) => [id, names[i] ?? id])), [ids, names]);
  // `version` is the change signal for the mutable series; reading it makes the memo depend on it.
  const data = useMemo(
    () =>
      version >= 0
        ? useChartStore
            .getState()
            .linesFor(range, Math.max(100, width - Y_AXIS_WIDTH), interval, Date.now(), metric)
        : null,
    [version, range, width, interval, metric],
  );

  const legend = useMemo<LegendEntry[]>(
    () =>
      ids.map((id) => ({ key: id, name: nameOf[id] ?? id, color: colors[id] ?? '', hidden: id in hidden })),
    [ids, nameOf, colors, hidden],
  );
  const series = useMemo<PlotSeries[]>(
    () =>
      data
        ? ids
            .filter((id) => !(id in hidden) && data.lines.has(id))
            .map((id) => ({ id, name: nameOf[id] ?? id, color: colors[id] ?? '' }))
        : [],
    [data, ids, hidden, nameOf, colors],
  );
  const grids = useMemo<{ all: Grid; each: Map<string, Grid> } | null>(() => {
    if (!data) return null;
    const options = {
      bucketMs: data.spec.bucketMs,
      slots: data.spec.slots,
      from: data.from,
      to: data.to,
      positiveOnly: view === 'log',
    };
    const lineOf = (s: PlotSeries) => ({ id: s.id, buckets: data.lines.get(s.id) ?? [] });
    const each = new Map<string, Grid>();
    if (view === 'split') for (const s of series) each.set(s.id, buildGrid([lineOf(s)], options));
    const all =
      view === 'split'
        ? {
            rows: [],
            breaks: [...each.values()].reduce((n, g) => n + g.breaks, 0),
            points: Math.max(0, ...[...each.values()].map((g) => g.points)),
            max: 0,
            minPositive: Number.POSITIVE_INFINITY,
          }
        : buildGrid(series.map(lineOf), options);
    return { all, each };
  }, [data, series, view]);
  const events = useMemo<PlotEvent[]>(() => {
    if (!data) return [];
    const out: PlotEvent[] = [];
    for (const id of ids) {
      if (id in hidden) continue;
      for (const event of data.events.get(id) ?? []) out.push({ id, color: colors[id] ?? '', event });
    }
    return out.sort((a, b) => a.event.at - b.event.at);
  }, [data, ids, hidden, colors]);

  const points = grids?.all.points ?? 0;
  const plotProps = data && { from: data.from, to: data.to, range };

  return (
    <section className="card chart-card" aria-labelledby="chart-title">
      <header className="card-header chart-header">
        <h2 id="chart-title">{TITLES[metric]}</h2>
        <ToggleGroup
          label="Chart shows"
          options={METRIC_OPTIONS}
          value={metric}
          onChange={(m) => useUiStore.getState().setChartMetric(m)}
          testPrefix="metric"
        />
        <ToggleGroup
          label="Chart scale"
          options={metric === 'cpu' ? CPU_VIEW_OPTIONS : VIEW_OPTIONS}
          value={view}
          onChange={(v) => useUiStore.getState().setChartView(v)}
          testPrefix="view"
        />
        <ToggleGroup
          label="Chart range"
          options={RANGE_OPTIONS}
          value={range}
          onChange={(r) => useUiStore.getState().setChartRange(r)}
          testPrefix="range"
        />
      </header>
      <figure
        ref={figure}
        className="chart"
        data-testid="hashrate-chart"
        data-points={points}
        data-breaks={grids?.all.breaks ?? 0}
        data-markers={events.length}
        data-metric={metric}
        aria-label={`${metric === 'cpu' ? 'CPU use (% of this computer)' : 'Hashrate'} per miner over the last ${RANGE_LABEL[range]}`}
      >
        {points === 0 && (
          <p className="muted chart-empty" data-testid="chart-empty">
            {ids.length === 0
              ? 'No miners yet.'
              : metric === 'cpu'
                ? 'No CPU measurements in this range yet (a miner running inside the app, like the simulated one, has none).'
                : 'No hashrate data in this range yet.'}
          </p>
        )}
        {ready && plotProps && grids && view !== 'split' && (
          <LinePlot
            {...plotProps}
            rows={grids.all.rows}
            max={grids.all.max}
            minPositive={grids.all.minPositive}
            series={series}
            events={events}
            scale={view}
            unit={metric === 'cpu' ? 'percent' : 'hashrate'}
            height={HEIGHT}
            width={width}
          />
        )}
        {ready && plotProps && grids && view === 'split' && (
          <div className="small-multiples">
            {series.map((s) => (
              <div key={s.id} className="small-multiple" data-testid={`small-multiple-${s.id}`}>
                <p className="small-multiple-title">
                  <span className="chart-tooltip-swatch" style={{ background: s.color }} aria-hidden="true" />
                  {s.name}
                </p>
                <LinePlot
                  {...plotProps}
                  rows={grids.each.get(s.id)?.rows ?? []}
                  max={grids.each.get(s.id)?.max ?? 0}
                  minPositive={grids.each.get(s.id)?.minPositive ?? Number.POSITIVE_INFINITY}
                  series={[s]}
                  events={events.filter((e) => e.id === s.id)}
                  scale="linear"
                  unit={metric === 'cpu' ? 'percent' : 'hashrate'}
                  height={SMALL_HEIGHT}
                  compact
                />
              </div>
            ))}
          </div>
        )}
        <ChartLegend entries={legend} />
        <EventList events={events} names={nameOf} />
      </figure>
    </section>
  );
});
