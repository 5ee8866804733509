// @vitest-environment jsdom
// The dashboard renders miner cards from a (fake) MiningClient and re-renders only changed miners.
import { act, cleanup, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientProvider } from '../client/ClientContext';
import { MinerCard } from '../components/MinerCard';
import { useMinersStore } from '../store/minersStore';
import { resetStores } from '../store/sync';
import { createFakeClient } from '../test/fakeClient';
import { makeMiner, makeProfile, makeStats } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

afterEach(() => {
  cleanup();
  resetStores();
});

describe('Dashboard', () => {
  it('renders a card for each miner of the snapshot with its hashrate and state', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [makeMiner({ id: 'm1', name: 'CPU rig', stats: makeStats({ hashrate: [1500, 1400, null] }) })],
    });
    renderApp(client);
    const card = await screen.findByTestId('miner-card-m1');
    expect(card.textContent).toContain('CPU rig');
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('running');
    expect(screen.getByTestId('miner-hashrate-m1').textContent).toBe('1.50 kH/s');
    expect(screen.getByTestId('miner-hashrate15m-m1').textContent).toBe('—');
    expect(screen.getByTestId('total-hashrate').textContent).toBe('1.50 kH/s');
  });

  it('updates from stats and minerState events', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [makeMiner({ id: 'm1' })] });
    renderApp(client);
    await screen.findByTestId('miner-card-m1');
    expect(screen.getByTestId('miner-hashrate-m1').textContent).toBe('—');
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
      client.emit('minerState', makeMiner({ id: 'm1', state: 'crashed', reason: 'Exited with code 1' })),
    );
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('crashed');
    expect(screen.getByTestId('miner-reason-m1').textContent).toBe('Exited with code 1');
  });

  it('labels paused and warming-up miners', async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [
        makeMiner({
          id: 'm1',
          stats: makeStats({ paused: true, warmingUp: true, hashrate: [null, null, null] }),
        }),
      ],
    });
    renderApp(client);
    expect((await screen.findByTestId('miner-paused-m1')).textContent).toBe('paused');
    expect(screen.getByTestId('miner-warming-m1').textContent).toBe('warming up');
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
