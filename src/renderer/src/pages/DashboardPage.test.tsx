// @vitest-environment jsdom
// The dashboard tells the truth at a glance: only hashing miners look live and count in the totals,
// stopped and paused ones show their state and a marked last rate, a warm-up says what it waits for,
// a crash reads as a sentence with its log one click away, and errors clear once an action succeeds.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MinerSnapshot } from '../../../shared/model';
import { MinerError } from '../../../shared/errors';
import { ClientProvider } from '../client/ClientContext';
import { formatClock } from '../format/time';
import { MinerCard } from '../components/MinerCard';
import { useMinersStore } from '../store/minersStore';
import { resetStores } from '../store/sync';
import { createFakeClient } from '../test/fakeClient';
import { makeControl, makeMiner, makeProfile, makeStats } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

afterEach(() => {
  cleanup();
  resetStores();
  vi.useRealTimers();
});

const hashing = (over: Partial<MinerSnapshot> = {}) =>
  makeMiner({ stats: makeStats({ hashrate: [1500, 1400, null] }), ...over });

describe('Dashboard cards', () => {
  it('shows a hashing miner live: its rate, windows, shares and the total', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [hashing({ id: 'm1', name: 'CPU rig (light)' })],
    });
    renderApp(client);
    const card = await screen.findByTestId('miner-card-m1');
    expect(card.textContent).toContain('CPU rig (light)');
    const badge = screen.getByTestId('miner-state-m1');
    expect(badge.textContent).toBe('mining');
    expect(badge.dataset.state).toBe('running');
    expect(screen.getByTestId('miner-hashrate-m1').textContent).toBe('1.50 kH/s');
    expect(screen.getByTestId('miner-hashrate15m-m1').textContent).toBe('—');
    expect(screen.getByTestId('total-hashrate').textContent).toBe('1.50 kH/s');
    expect(screen.getByTestId('status-verdict').textContent).toBe('Mining with 1 miner');
  });

  it('updates from stats and minerState events; a crash reads as one sentence from the exit', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [makeMiner({ id: 'm1', minerType: 'xmrig' })],
    });
    renderApp(client);
    await screen.findByTestId('miner-card-m1');
    expect(screen.queryByTestId('miner-hashrate-m1')).toBeNull();
    act(() =>
      client.emit('stats', {
        at: 2000,
        miners: [
          { id: 'm1', generation: 1, stats: makeStats({ at: 2000, hashrate: [2_500_000, null, null] }) },
        ],
      }),
    );
    expect(screen.getByTestId('miner-hashrate-m1').textContent).toBe('2.50 MH/s');
    act(() =>
      client.emit(
        'minerState',
        makeMiner({
          id: 'm1',
          minerType: 'xmrig',
          state: 'crashed',
          paused: true,
          reason: 'm1 exited with code 1: [2026-11-30 09:29:05] randomx dataset ready',
          lastExit: { code: 1, signal: null, at: 3000 },
        }),
      ),
    );
    const badge = screen.getByTestId('miner-state-m1');
    expect(badge.textContent).toBe('crashed');
    // One state at a time: never "crashed" and "paused" together.
    expect(screen.getByTestId('miner-card-m1').textContent).not.toMatch(/paused/i);
    expect(screen.getByTestId('miner-reason-m1').textContent).toBe(
      'XMRig stopped unexpectedly (exit code 1).',
    );
    expect(screen.getByTestId('miner-last-m1').textContent).toBe('last: 2.50 MH/s');
    expect(screen.getByTestId('total-hashrate').textContent).toBe('—');
  });

  it('shows a stopped miner as stopped with its last rate marked, and no live numbers', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [
        hashing({ id: 'live' }),
        makeMiner({
          id: 'off',
          state: 'stopped',
          pid: null,
          stats: makeStats({ hashrate: [24.3, 24, null], uptime: 300 }),
          lastExit: { code: 0, signal: null, at: Date.UTC(2026, 10, 30, 10, 54) },
        }),
      ],
    });
    renderApp(client);
    const card = await screen.findByTestId('miner-card-off');
    expect(screen.getByTestId('miner-state-off').textContent).toBe('stopped');
    expect(screen.getByTestId('miner-last-off').textContent).toBe('last: 24.3 H/s');
    expect(within(card).queryByTestId('miner-hashrate-off')).toBeNull();
    expect(within(card).queryByTestId('miner-uptime-off')).toBeNull();
    expect(screen.getByTestId('miner-stopped-at-off').textContent).toMatch(/^Stopped at /);
    expect(screen.getByTestId('restart-off').textContent).toBe('Start again');
    // Only the hashing miner counts.
    expect(screen.getByTestId('total-hashrate').textContent).toBe('1.50 kH/s');
    expect(screen.getByTestId('total-running').textContent).toBe('1');
  });

  it('shows a paused miner as paused with the rate it had before, outside the total', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [hashing({ id: 'm1' })] });
    renderApp(client);
    await screen.findByTestId('miner-hashrate-m1');
    act(() =>
      client.emit('stats', {
        at: 5000,
        miners: [
          {
            id: 'm1',
            generation: 1,
            stats: makeStats({ at: 5000, paused: true, hashrate: [121.5, 900, null] }),
          },
        ],
      }),
    );
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('paused');
    // The paused miner's own 10 s average decays; the last rate is the one it had while hashing.
    expect(screen.getByTestId('miner-last-m1').textContent).toBe('last: 1.50 kH/s');
    expect(screen.queryByTestId('miner-hashrate-m1')).toBeNull();
    expect(screen.getByTestId('total-hashrate').textContent).toBe('—');
    expect(screen.getByTestId('status-verdict').textContent).toBe('Paused: 1 miner');
    expect(screen.getByTestId('resume-m1')).toBeTruthy();
    expect(screen.queryByTestId('pause-m1')).toBeNull();
  });

  it('explains a warm-up with the phase the main process reports, and its elapsed seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] });
    vi.setSystemTime(100_000);
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [
        makeMiner({
          id: 'm1',
          minerType: 'xmrig',
          startedAt: 90_000,
          stats: makeStats({ warmingUp: true, hashrate: [null, null, null] }),
          warmup: { phase: 'dataset', since: 95_000 },
        }),
        makeMiner({
          id: 'm2',
          minerType: 'xmrig',
          startedAt: 88_000,
          stats: makeStats({ hashrate: [null, null, null] }),
        }),
      ],
    });
    renderApp(client);
    const note = await screen.findByTestId('miner-warmup-m1');
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('warming up');
    expect(note.textContent).toBe('Preparing the RandomX dataset (usually 10–30 s) · 5 s');
    // Without a phase, a general explanation counts from the start.
    expect(screen.getByTestId('miner-warmup-m2').textContent).toBe(
      'Warming up: XMRig prepares its RandomX dataset, then averages its first 10 s of hashing · 12 s',
    );
    act(() => vi.advanceTimersByTime(3000));
    expect(screen.getByTestId('miner-warmup-m1').textContent).toMatch(/· 8 s$/);
    expect(screen.getByTestId('total-hashrate').textContent).toBe('—');
    expect(screen.getByTestId('status-verdict').textContent).toBe('Warming up 2 miners');
  });

  it('shows one compact error for a miner that could not start, with no grid of dashes', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [
        makeMiner({
          id: 'm1',
          minerType: 'xmrig',
          state: 'errored',
          pid: null,
          reason: 'XMRig binary not found at /nonexistent/very/long/path/to/xmrig',
        }),
      ],
    });
    renderApp(client);
    const card = await screen.findByTestId('miner-card-m1');
    expect(within(card).getAllByText(/binary not found/)).toHaveLength(1);
    expect(card.textContent).not.toContain('—');
    expect(card.querySelector('.stat-grid')).toBeNull();
    // The header names it once as needing attention.
    expect(screen.getByTestId('status-attention').textContent).toContain('binary not found');
    fireEvent.click(screen.getByTestId('restart-m1'));
    await vi.waitFor(() => expect(screen.getByTestId('miner-state-m1').textContent).toBe('starting'));
    expect(screen.queryByTestId('miner-reason-m1')).toBeNull();
    expect(screen.queryByTestId('status-attention')).toBeNull();
  });

  it('keeps a failed action as the miner’s one error until the next action succeeds', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [hashing({ id: 'm1' })] });
    client.respond('pauseMiner', () =>
      Promise.reject(new MinerError('MINER_API', 'Miner API did not answer')),
    );
    renderApp(client);
    fireEvent.click(await screen.findByTestId('pause-m1'));
    expect((await screen.findByTestId('miner-error-m1')).textContent).toBe('Miner API did not answer');
    expect(screen.getByTestId('status-attention').textContent).toContain('Miner API did not answer');
    client.respond('pauseMiner', ({ id }) => ({ ...hashing({ id }), paused: true }));
    fireEvent.click(screen.getByTestId('pause-m1'));
    await vi.waitFor(() => expect(screen.queryByTestId('miner-error-m1')).toBeNull());
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('paused');
  });

  it('fetches a crashed miner’s last log lines when asked', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [
        makeMiner({
          id: 'm1',
          state: 'crashed',
          pid: null,
          lastExit: { code: null, signal: 'SIGKILL', at: 1 },
        }),
      ],
      logs: {
        m1: [
          { seq: 1, at: 1, stream: 'stdout', text: 'miner    speed 10s/60s/15m 515.8', generation: 1 },
          { seq: 2, at: 2, stream: 'stderr', text: 'Segmentation fault', generation: 1 },
        ],
      },
    });
    renderApp(client);
    expect((await screen.findByTestId('miner-reason-m1')).textContent).toBe(
      'Simulated stopped unexpectedly (killed by SIGKILL).',
    );
    expect(client.callsOf('getLogs')).toHaveLength(0);
    const details = screen.getByTestId('miner-last-lines-m1') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    await vi.waitFor(() => expect(within(details).getAllByTestId('console-line')).toHaveLength(2));
    expect(details.textContent).toContain('Segmentation fault');
    expect(client.callsOf('getLogs')).toEqual([{ id: 'm1', limit: 200 }]);
  });

  it('backfills chart history for each miner it sees', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [makeMiner({ id: 'm1' })] });
    renderApp(client);
    await screen.findByTestId('miner-card-m1');
    expect(client.callsOf('getHistory')).toEqual([expect.objectContaining({ id: 'm1' })]);
  });

  it('shows a notice event as a toast', async () => {
    const client = createFakeClient({ profiles: [makeProfile()] });
    renderApp(client);
    await screen.findByTestId('page-dashboard');
    act(() => client.emit('notice', { level: 'warning', message: 'Miner m1 restarted' }));
    expect(screen.getByTestId('toast').textContent).toContain('Miner m1 restarted');
  });

  it('re-renders only the card whose miner changed in a stats batch', () => {
    useMinersStore.getState().setAll([makeMiner({ id: 'a' }), makeMiner({ id: 'b' })]);
    const commits: Record<string, number> = { a: 0, b: 0 };
    const count = (id: string) => () => {
      commits[id] = (commits[id] ?? 0) + 1;
    };
    render(
      <ClientProvider client={createFakeClient()}>
        <Profiler id="a" onRender={count('a')}>
          <MinerCard id="a" />
        </Profiler>
        <Profiler id="b" onRender={count('b')}>
          <MinerCard id="b" />
        </Profiler>
      </ClientProvider>,
    );
    const before = { ...commits };
    act(() =>
      useMinersStore
        .getState()
        .applyStats({ at: 3000, miners: [{ id: 'a', generation: 1, stats: makeStats({ at: 3000 }) }] }),
    );
    expect(commits.a).toBe((before.a ?? 0) + 1);
    expect(commits.b).toBe(before.b);
  });
});

describe('Status header', () => {
  it('stops every running miner with Stop all, each through its own command', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [
        hashing({ id: 'a' }),
        makeMiner({ id: 'b', state: 'starting' }),
        makeMiner({ id: 'c', state: 'stopped' }),
      ],
    });
    renderApp(client);
    fireEvent.click(await screen.findByTestId('stop-all'));
    await vi.waitFor(() => expect(screen.getByTestId('status-verdict').textContent).toBe('Not mining'));
    expect(client.callsOf('stopMiner')).toEqual([{ id: 'a' }, { id: 'b' }]);
    // Nothing runs now: the primary action starts them again.
    expect(screen.getByTestId('start-all').textContent).toBe('Start all 3');
  });

  it('pauses all pausable miners, skipping TT-Miner which cannot pause, then resumes them', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [hashing({ id: 'a' }), hashing({ id: 'gpu', minerType: 'ttminer' })],
    });
    renderApp(client);
    fireEvent.click(await screen.findByTestId('pause-all'));
    await vi.waitFor(() =>
      expect((screen.getByTestId('resume-all') as HTMLButtonElement).disabled).toBe(false),
    );
    expect(client.callsOf('pauseMiner')).toEqual([{ id: 'a' }]);
    expect(screen.getByTestId('status-verdict').textContent).toBe('Mining with 1 miner (1 paused)');
    fireEvent.click(screen.getByTestId('resume-all'));
    await vi.waitFor(() => expect(client.callsOf('resumeMiner')).toEqual([{ id: 'a' }]));
  });

  it('offers to start the last used profile when no miner exists', async () => {
    const client = createFakeClient({ profiles: [makeProfile({ id: 'p1', name: 'Main rig' })] });
    renderApp(client);
    const start = await screen.findByTestId('start-profile');
    expect(start.textContent).toBe('Start “Main rig”');
    fireEvent.click(start);
    await vi.waitFor(() => expect(client.callsOf('startMiner')).toEqual([{ profileId: 'p1' }]));
  });

  it('shows what the miners cost in CPU, of the whole computer, only once it is measured', async () => {
    const usage = {
      machineCpuPercent: 47.6,
      logicalCores: 8,
      rssBytes: 300 * 1024 * 1024,
      processes: 1,
      at: 9000,
    };
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [hashing({ id: 'a' }), hashing({ id: 'b', name: 'Two' })],
    });
    renderApp(client);
    await screen.findByTestId('miner-card-a');
    expect(screen.queryByTestId('total-cpu')).toBeNull();
    expect(screen.queryByTestId('miner-cpu-a')).toBeNull();
    act(() =>
      client.emit('stats', {
        at: 9000,
        miners: [
          { id: 'a', generation: 1, stats: makeStats({ at: 9000, usage }) },
          {
            id: 'b',
            generation: 1,
            stats: makeStats({ at: 9000, usage: { ...usage, machineCpuPercent: 4.25 } }),
          },
        ],
      }),
    );
    expect(screen.getByTestId('miner-cpu-a').textContent).toBe('CPU 48 % of this computer');
    expect(screen.getByTestId('miner-cpu-details-a').textContent).toBe(
      ' · 3.8 of 8 cores busy · 300 MB memory',
    );
    expect(screen.getByTestId('miner-cpu-b').textContent).toBe('CPU 4.3 % of this computer');
    // the header adds them up
    expect(screen.getByTestId('total-cpu').textContent).toBe('52 %');
    expect(screen.getByTestId('total-cpu-detail').textContent).toBe('4.1 of 8 cores · 600 MB');
  });

  it('"Pause for an hour" pauses with an end the main process keeps, and says when mining resumes', async () => {
    const until = new Date(2030, 0, 1, 15, 4).getTime();
    const client = createFakeClient({ profiles: [makeProfile()], miners: [hashing({ id: 'a' })] });
    client.respond('pauseMiner', ({ id, forMinutes }) => {
      const m = client.state.miners.find((x) => x.id === id)!;
      const next: MinerSnapshot = {
        ...m,
        paused: true,
        control: makeControl({ pausedBy: { by: 'user' }, pausedUntil: forMinutes ? until : null }),
      };
      client.state.miners = [next];
      return next;
    });
    renderApp(client);
    fireEvent.click(await screen.findByTestId('pause-hour'));
    await vi.waitFor(() => expect(client.callsOf('pauseMiner')).toEqual([{ id: 'a', forMinutes: 60 }]));
    await screen.findByTestId('status-paused-until');
    const clock = formatClock(until, false); // "15:04" or "03:04 PM", as the locale writes it
    expect(screen.getByTestId('status-paused-until').textContent).toBe(
      `Paused by you until ${clock}: mining resumes by itself then.`,
    );
    expect(screen.getByTestId('miner-paused-by-a').textContent).toBe(`Paused by you until ${clock}`);
    // nothing left to pause, so the action is gone
    expect(screen.queryByTestId('pause-hour')).toBeNull();
  });
});
