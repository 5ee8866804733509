// The dashboard chart: hashrate per miner over 5 m / 1 h / 24 h on a shared linear or log axis, or one
// small chart per miner. Lines keep their colour, break where a miner did not run, carry markers for
// starts, stops, crashes, pauses and throttle changes, and can be hidden from the legend.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDateTime } from '../../format/time';
import { CHART_RANGES, RANGE_LABEL } from '../../store/chartRange';
import { useChartStore } from '../../store/chartStore';
import { lineColors } from '../../store/lineColors';
import { useMinersStore } from '../../store/minersStore';
import { useSettingsStore } from '../../store/settingsStore';
import { useUiStore, type ChartView } from '../../store/uiStore';
import { ChartLegend, type LegendEntry } from './ChartLegend';
import { LinePlot, MARKER_GLYPHS, type PlotEvent, type PlotLine } from './LinePlot';

const VIEWS: readonly { view: ChartView; label: string }[] = [
  { view: 'linear', label: 'Linear' },
  { view: 'log', label: 'Log' },
  { view: 'split', label: 'Per miner' },
];
const HEIGHT = 236;
const SMALL_HEIGHT = 110;
/** Until the figure is measured (and in tests without layout), plan for a typical window. */
const DEFAULT_WIDTH = 1000;
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

/** The figure's width, measured once and on resize (not per row or per render). */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const w = el.clientWidth;
      if (w > 0) setWidth(w);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * The plot waits one frame after the dashboard's first commit, so the cards paint first and the
 * chart's mount (recharts' own set-up) overlaps the history requests instead of delaying the cards.
 */
function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setReady(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  return ready;
}

function EventList({ events, names }: { events: readonly PlotEvent[]; names: Record<string, string> }) {
  if (events.length === 0) return null;
  const recent = events.slice(-EVENTS_LISTED).reverse();
  return (
    <details className="chart-events" data-testid="chart-events">
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
  const version = useChartStore((s) => s.version);
  const range = useUiStore((s) => s.chartRange);
  const view = useUiStore((s) => s.chartView);
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
        ? useChartStore.getState().linesFor(range, Math.max(100, width - Y_AXIS_WIDTH), interval, Date.now())
        : null,
    [version, range, width, interval],
  );

  const legend = useMemo<LegendEntry[]>(
    () =>
      ids.map((id) => ({ key: id, name: nameOf[id] ?? id, color: colors[id] ?? '', hidden: id in hidden })),
    [ids, nameOf, colors, hidden],
  );
  const lines = useMemo<PlotLine[]>(() => {
    if (!data) return [];
    return ids
      .filter((id) => !(id in hidden) && data.lines.has(id))
      .map((id) => ({
        id,
        name: nameOf[id] ?? id,
        color: colors[id] ?? '',
        points: data.lines.get(id) ?? [],
      }));
  }, [data, ids, hidden, nameOf, colors]);
  const events = useMemo<PlotEvent[]>(() => {
    if (!data) return [];
    const out: PlotEvent[] = [];
    for (const id of ids) {
      if (id in hidden) continue;
      for (const event of data.events.get(id) ?? []) out.push({ id, color: colors[id] ?? '', event });
    }
    return out.sort((a, b) => a.event.at - b.event.at);
  }, [data, ids, hidden, colors]);

  const pointCount = lines.reduce((n, l) => Math.max(n, l.points.filter((p) => p.v !== null).length), 0);
  const breaks = lines.reduce((n, l) => n + l.points.filter((p) => p.v === null).length, 0);
  const tolerance = data ? Math.max(data.spec.bucketMs, data.spec.gapMs / 2) : 5000;
  const plotProps = data && {
    from: data.from,
    to: data.to,
    range,
    toleranceMs: tolerance,
  };

  return (
    <section className="card chart-card" aria-labelledby="chart-title">
      <header className="card-header chart-header">
        <h2 id="chart-title">Hashrate</h2>
        <ToggleGroup
          label="Chart scale"
          options={VIEW_OPTIONS}
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
        data-points={pointCount}
        data-breaks={breaks}
        data-markers={events.length}
        aria-label={`Hashrate per miner over the last ${RANGE_LABEL[range]}`}
      >
        {pointCount === 0 && (
          <p className="muted chart-empty" data-testid="chart-empty">
            {ids.length === 0 ? 'No miners yet.' : 'No hashrate data in this range yet.'}
          </p>
        )}
        {ready && plotProps && view !== 'split' && (
          <LinePlot {...plotProps} lines={lines} events={events} scale={view} height={HEIGHT} />
        )}
        {ready && plotProps && view === 'split' && (
          <div className="small-multiples">
            {lines.map((l) => (
              <div key={l.id} className="small-multiple" data-testid={`small-multiple-${l.id}`}>
                <p className="small-multiple-title">
                  <span className="chart-tooltip-swatch" style={{ background: l.color }} aria-hidden="true" />
                  {l.name}
                </p>
                <LinePlot
                  {...plotProps}
                  lines={[l]}
                  events={events.filter((e) => e.id === l.id)}
                  scale="linear"
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
