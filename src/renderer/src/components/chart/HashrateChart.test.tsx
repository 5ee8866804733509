// @vitest-environment jsdom
// The chart section: legend buttons hide and show a miner's line, a miner's colour does not change
// when another one goes away, state changes become listed markers, and the view switch is kept.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientProvider } from '../../client/ClientContext';
import { useChartStore } from '../../store/chartStore';
import { resetLineColors } from '../../store/lineColors';
import { useMinersStore } from '../../store/minersStore';
import { resetStores } from '../../store/sync';
import { useUiStore } from '../../store/uiStore';
import { createFakeClient } from '../../test/fakeClient';
import { makeMiner, makeStats } from '../../test/fixtures';
import { HashrateChart } from './HashrateChart';

afterEach(() => {
  cleanup();
  resetStores();
  resetLineColors();
});

function seed(ids: string[]) {
  const miners = ids.map((id) => makeMiner({ id, name: `Miner ${id}` }));
  useMinersStore.getState().setAll(miners);
  const byId = useMinersStore.getState().byId;
  const now = Date.now();
  for (let t = now - 35_000; t <= now - 5000; t += 1000) {
    useChartStore.getState().addBatch(
      {
        at: t,
        miners: ids.map((id, i) => ({
          id,
          generation: 1,
          stats: makeStats({ at: t, hashrate: [100 * (i + 1) + (t % 7), null, null] }),
        })),
      },
      byId,
    );
  }
}

const renderChart = () =>
  render(
    <ClientProvider client={createFakeClient()}>
      <HashrateChart />
    </ClientProvider>,
  );

const swatchColor = (id: string) =>
  (screen.getByTestId(`legend-${id}`).querySelector('svg') as SVGElement).style.color;

describe('HashrateChart', () => {
  it('hides and shows a line from its legend button', () => {
    seed(['a']);
    renderChart();
    const figure = screen.getByTestId('hashrate-chart');
    expect(Number(figure.dataset.points)).toBe(31);
    const toggle = screen.getByTestId('legend-a');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(figure.dataset.points).toBe('0');
    expect(screen.getByTestId('chart-empty')).toBeTruthy();
    fireEvent.click(toggle);
    expect(Number(figure.dataset.points)).toBe(31);
  });

  it('keeps a miner’s colour when a miner before it is removed', () => {
    seed(['a', 'b', 'c']);
    renderChart();
    const c = swatchColor('c');
    const b = swatchColor('b');
    act(() => {
      useMinersStore.getState().remove('a');
      useChartStore.getState().drop('a');
    });
    expect(swatchColor('c')).toBe(c);
    expect(swatchColor('b')).toBe(b);
  });

  it('lists state changes as markers and breaks the line at a stop', () => {
    seed(['a']);
    renderChart();
    const figure = screen.getByTestId('hashrate-chart');
    expect(figure.dataset.breaks).toBe('0');
    act(() =>
      useMinersStore.getState().upsert({
        ...(useMinersStore.getState().byId.a as ReturnType<typeof makeMiner>),
        state: 'stopped',
        lastExit: { code: 0, signal: null, at: Date.now() - 4000 },
      }),
    );
    // The renderer's sync records the change; here the store is driven directly like sync does.
    act(() =>
      useChartStore
        .getState()
        .addEvents(new Map([['a', [{ at: Date.now() - 4000, kind: 'stop', text: 'Miner a stopped' }]]])),
    );
    act(() =>
      useChartStore.getState().addBatch(
        {
          at: Date.now() - 1000,
          miners: [{ id: 'a', generation: 1, stats: makeStats({ at: Date.now() - 1000 }) }],
        },
        useMinersStore.getState().byId,
      ),
    );
    expect(Number(figure.dataset.markers)).toBeGreaterThanOrEqual(1);
    expect(figure.dataset.breaks).toBe('1');
    const list = screen.getByTestId('chart-events') as HTMLDetailsElement;
    expect(list.textContent).not.toContain('Miner a stopped'); // listed only when opened
    list.open = true;
    fireEvent(list, new Event('toggle'));
    expect(list.textContent).toContain('Miner a stopped');
  });

  it('switches between linear, log and per-miner views', () => {
    seed(['a', 'b']);
    renderChart();
    fireEvent.click(screen.getByTestId('view-split'));
    expect(useUiStore.getState().chartView).toBe('split');
    expect(screen.getByTestId('view-split').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('view-log'));
    expect(useUiStore.getState().chartView).toBe('log');
  });

  it('plots the measured CPU of each miner as a second metric, with its own title, gaps and no log view', () => {
    useMinersStore.getState().setAll([makeMiner({ id: 'a', name: 'Miner a' })]);
    const byId = useMinersStore.getState().byId;
    const now = Date.now();
    for (let t = now - 40_000; t <= now - 5000; t += 1000) {
      // warming up (no hashrate yet) for the first 10 s: measured CPU all the same
      const warming = t < now - 30_000;
      // a 12 s hole in the measurements: the CPU line must break there too
      if (t > now - 25_000 && t < now - 13_000) continue;
      const usage = { machineCpuPercent: 40 + (t % 3), logicalCores: 4, rssBytes: 1, processes: 1, at: t };
      useChartStore.getState().addBatch(
        {
          at: t,
          miners: [
            {
              id: 'a',
              generation: 1,
              stats: makeStats({ at: t, hashrate: [warming ? null : 500, null, null], usage }),
            },
          ],
        },
        byId,
      );
    }
    renderChart();
    const figure = screen.getByTestId('hashrate-chart');
    const hashPoints = Number(figure.dataset.points);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Hashrate');
    fireEvent.click(screen.getByTestId('view-log'));
    fireEvent.click(screen.getByTestId('metric-cpu'));
    expect(figure.dataset.metric).toBe('cpu');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('CPU use, % of this computer');
    expect(figure.getAttribute('aria-label')).toMatch(/^CPU use \(% of this computer\) per miner/);
    // CPU was measured during the warm-up too: more points than the hashrate has
    expect(Number(figure.dataset.points)).toBeGreaterThan(hashPoints);
    expect(figure.dataset.breaks).toBe('1');
    // a log axis adds nothing to 0–100 %: not offered, and the log choice is drawn linear
    expect(screen.queryByTestId('view-log')).toBeNull();
    expect(screen.getByTestId('view-linear').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByTestId('metric-hashrate'));
    expect(Number(figure.dataset.points)).toBe(hashPoints);
    expect(screen.getByTestId('view-log').getAttribute('aria-pressed')).toBe('true');
  });
});
