// @vitest-environment jsdom
// Who paused a miner, on its card and its Miners row: the user (with a timed pause's end), each pause
// rule in its own words with "Mine anyway for 1 hour" (never for the GPU temperature), the CPU budget;
// TT-Miner's pause that stops it; a budget's pulses that are mining, not a pause.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MinerSnapshot, PauseCause } from '../../../shared/model';
import { ClientProvider } from '../client/ClientContext';
import { formatClock } from '../format/time';
import { useMinersStore } from '../store/minersStore';
import { resetStores } from '../store/sync';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeControl, makeMiner, makeStats } from '../test/fixtures';
import { MinerCard } from './MinerCard';
import { MinerRow } from './MinerRow';

afterEach(() => {
  cleanup();
  resetStores();
});

const pausedBy = (cause: PauseCause, over: Partial<MinerSnapshot> = {}) =>
  makeMiner({
    id: 'm1',
    minerType: 'xmrig',
    paused: true,
    stats: makeStats({ paused: true }),
    control: makeControl({ pausedBy: cause }),
    ...over,
  });

function renderBoth(client: FakeClient, miner: MinerSnapshot) {
  client.state.miners = [miner];
  useMinersStore.getState().setAll([miner]);
  render(
    <ClientProvider client={client}>
      <MinerCard id={miner.id} />
      <ul>
        <MinerRow id={miner.id} />
      </ul>
    </ClientProvider>,
  );
}

const texts = (testId: string) => screen.getAllByTestId(testId).map((el) => el.textContent);

describe('who paused a miner', () => {
  it.each([
    [{ by: 'user' } as PauseCause, 'Paused by you'],
    [
      {
        by: 'rule',
        rule: 'userActive',
        detail: 'the computer is in use (resumes after 120 s without input)',
      },
      'Paused: you are using the computer',
    ],
    [{ by: 'rule', rule: 'onBattery', detail: 'running on battery' }, 'Paused: on battery'],
    [
      { by: 'rule', rule: 'schedule', detail: 'outside the mining schedule (Monday 12:00)' },
      'Paused: outside the mining schedule',
    ],
    [{ by: 'rule', rule: 'processes', detail: 'steam is running' }, 'Paused: a listed program is running'],
    [
      { by: 'rule', rule: 'gpuTemperature', detail: 'GPU at 85 °C (limit 80 °C)' },
      'Paused: the GPU is too hot',
    ],
    [{ by: 'budget', detail: 'pausing in pulses' }, 'Paused by the CPU budget'],
  ] satisfies [PauseCause, string][])('%o reads "%s" on the card and the row', (cause, text) => {
    renderBoth(createFakeClient(), pausedBy(cause));
    expect(texts('miner-paused-by-m1')).toEqual([text, text]);
    expect(screen.getAllByTestId('miner-state-m1').map((b) => b.textContent)).toEqual(['paused', 'paused']);
    if (cause.by === 'rule') {
      // the rule's own account is shown under the headline
      expect(screen.getAllByTestId('miner-paused-m1')[0]?.textContent).toContain(cause.detail);
    }
  });

  it('offers "Mine anyway for 1 hour" for a rule’s pause instead of a plain resume, then shows until when', async () => {
    const client = createFakeClient();
    const until = new Date(2030, 5, 1, 18, 30).getTime();
    client.respond('resumeMiner', ({ id, forMinutes }) => {
      const next = makeMiner({
        id,
        minerType: 'xmrig',
        stats: makeStats(),
        control: makeControl({ mineAnywayUntil: forMinutes ? until : null }),
      });
      client.state.miners = [next];
      return next;
    });
    renderBoth(client, pausedBy({ by: 'rule', rule: 'onBattery', detail: 'running on battery' }));
    expect(screen.queryByTestId('resume-m1')).toBeNull();
    const buttons = screen.getAllByTestId('mine-anyway-m1');
    expect(buttons.map((b) => b.textContent)).toEqual(['Mine anyway for 1 hour', 'Mine anyway for 1 hour']);
    fireEvent.click(buttons[0]!);
    await vi.waitFor(() => expect(client.callsOf('resumeMiner')).toEqual([{ id: 'm1', forMinutes: 60 }]));
    await vi.waitFor(() => expect(screen.queryAllByTestId('miner-paused-by-m1')).toHaveLength(0));
    expect(texts('miner-mine-anyway-m1')).toEqual([
      `Mining anyway until ${formatClock(until, false)}: pause rules are ignored until then (not the GPU temperature).`,
      `Mining anyway until ${formatClock(until, false)}: pause rules are ignored until then (not the GPU temperature).`,
    ]);
    expect(screen.getAllByTestId('miner-state-m1')[0]?.textContent).toBe('mining');
  });

  it('offers neither "Mine anyway" nor a resume that would not hold against the GPU temperature', () => {
    renderBoth(
      createFakeClient(),
      pausedBy({ by: 'rule', rule: 'gpuTemperature', detail: 'GPU at 85 °C, resumes below 70 °C' }),
    );
    expect(screen.queryByTestId('mine-anyway-m1')).toBeNull();
    expect(screen.queryByTestId('resume-m1')).toBeNull();
    expect(screen.getAllByTestId('miner-paused-m1')[0]?.textContent).toContain('resumes below 70 °C');
  });

  it('a user’s pause offers Resume, and a timed one says when it ends', () => {
    const until = new Date(2030, 5, 1, 9, 5).getTime();
    renderBoth(
      createFakeClient(),
      pausedBy({ by: 'user' }, { control: makeControl({ pausedBy: { by: 'user' }, pausedUntil: until }) }),
    );
    expect(texts('miner-paused-until-m1')).toEqual([
      ` until ${formatClock(until, false)}`,
      ` until ${formatClock(until, false)}`,
    ]);
    expect(screen.getAllByTestId('resume-m1').map((b) => b.textContent)).toEqual(['Resume', 'Resume']);
    expect(screen.queryByTestId('mine-anyway-m1')).toBeNull();
  });
});

describe('TT-Miner pauses by stopping', () => {
  it('says its Pause stops it', async () => {
    const client = createFakeClient();
    const gpu = makeMiner({
      id: 'm1',
      minerType: 'ttminer',
      stats: makeStats(),
      control: makeControl({ pauseKind: 'stop' }),
    });
    client.respond('pauseMiner', ({ id }) => ({
      ...gpu,
      id,
      state: 'stopped',
      pid: null,
      paused: true,
      control: makeControl({ pauseKind: 'stop', pausedBy: { by: 'user' } }),
    }));
    renderBoth(client, gpu);
    const pause = screen.getAllByTestId('pause-m1');
    expect(pause.map((b) => b.textContent)).toEqual(['Pause (stops it)', 'Pause (stops it)']);
    expect(pause[0]?.title).toBe('TT-Miner has no pause: pausing stops it, resuming starts it again');
    fireEvent.click(pause[0]!);
    await vi.waitFor(() => expect(client.callsOf('pauseMiner')).toEqual([{ id: 'm1' }]));
    // stopped to pause it: shown paused, resumable (it starts again) and stoppable for good, not "Start again"
    await screen.findAllByTestId('miner-pause-stops-m1');
    expect(screen.getAllByTestId('miner-state-m1').map((b) => b.dataset.display)).toEqual([
      'paused',
      'paused',
    ]);
    expect(screen.getAllByTestId('resume-m1').map((b) => b.textContent)).toEqual([
      'Resume (starts it)',
      'Resume (starts it)',
    ]);
    expect(screen.getAllByTestId('stop-m1')).toHaveLength(2);
    expect(screen.queryByText('Start again')).toBeNull();
    expect(texts('miner-pause-stops-m1')[0]).toBe(
      'TT-Miner has no pause: it was stopped, and resuming starts it again.',
    );
  });
});

describe('CPU beside the hashrate', () => {
  it('shows the miner’s share of the whole computer, cores busy and memory on the card and the row', () => {
    const usage = {
      machineCpuPercent: 23.4,
      logicalCores: 8,
      rssBytes: 2.5 * 1024 ** 3,
      processes: 2,
      at: 5,
    };
    renderBoth(
      createFakeClient(),
      makeMiner({
        id: 'm1',
        minerType: 'xmrig',
        stats: makeStats({ usage }),
        control: makeControl({ usage }),
      }),
    );
    expect(texts('miner-cpu-m1')).toEqual(['CPU 23 % of this computer', 'CPU 23 % of this computer']);
    expect(texts('miner-cpu-details-m1')[0]).toBe(' · 1.9 of 8 cores busy · 2.5 GB memory · 2 processes');
  });

  it('takes the newer of the stats sample and the snapshot', () => {
    const old = { machineCpuPercent: 80, logicalCores: 4, rssBytes: 1, processes: 1, at: 1 };
    const fresh = { ...old, machineCpuPercent: 12, at: 2 };
    renderBoth(
      createFakeClient(),
      makeMiner({ id: 'm1', stats: makeStats({ usage: fresh }), control: makeControl({ usage: old }) }),
    );
    expect(texts('miner-cpu-m1')[0]).toBe('CPU 12 % of this computer');
  });

  it('shows a miner the budget pauses in pulses as mining, with what the budget holds', () => {
    const usage = { machineCpuPercent: 25, logicalCores: 4, rssBytes: 1, processes: 1, at: 5 };
    const pulsing = makeMiner({
      id: 'm1',
      minerType: 'xmrig',
      // a pulse caught the sample paused: still a miner that mines 60 % of the time
      stats: makeStats({ paused: true, usage }),
      control: makeControl({ usage, budget: { targetPercent: 25, threads: 1, duty: 0.6, stage: 'pulse' } }),
    });
    renderBoth(createFakeClient(), pulsing);
    expect(screen.getAllByTestId('miner-state-m1')[0]?.textContent).toBe('mining');
    expect(screen.queryByTestId('miner-paused-by-m1')).toBeNull();
    expect(texts('miner-budget-m1')[0]).toBe(
      ' · CPU budget (budget 25 %): 1 thread, mining 60 % of the time',
    );
  });

  it('shows nothing while the miner is not measured', () => {
    renderBoth(createFakeClient(), makeMiner({ id: 'm1', stats: makeStats() }));
    expect(screen.queryByTestId('miner-cpu-m1')).toBeNull();
  });

  it('follows each stats batch', () => {
    renderBoth(createFakeClient(), makeMiner({ id: 'm1', stats: makeStats({ at: 1 }) }));
    const usage = { machineCpuPercent: 50, logicalCores: 2, rssBytes: 10 * 1024 ** 2, processes: 1, at: 2 };
    act(() =>
      useMinersStore
        .getState()
        .applyStats({ at: 2, miners: [{ id: 'm1', generation: 1, stats: makeStats({ at: 2, usage }) }] }),
    );
    expect(texts('miner-cpu-m1')[0]).toBe('CPU 50 % of this computer');
    expect(texts('miner-cpu-details-m1')[0]).toBe(' · 1.0 of 2 cores busy · 10 MB memory');
  });
});
