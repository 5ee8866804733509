// @vitest-environment jsdom
// The watchdog's states on a miner card: backoff says when it restarts (counting down) and offers Stop,
// which calls the restart off; crash-loop says why it gave up and offers Start again.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientProvider } from '../client/ClientContext';
import { useMinersStore } from '../store/minersStore';
import { resetStores } from '../store/sync';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeMiner } from '../test/fixtures';
import { MinerCard } from './MinerCard';

afterEach(() => {
  cleanup();
  resetStores();
  vi.useRealTimers();
});

function renderCard(client: FakeClient) {
  useMinersStore.getState().setAll(client.state.miners);
  render(
    <ClientProvider client={client}>
      <MinerCard id="m1" />
    </ClientProvider>,
  );
}

describe('watchdog states on the miner card', () => {
  it('backoff: "restarting", a countdown to the restart, the reason, and a Stop that calls it off', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    vi.setSystemTime(now);
    const reason = 'crashed (exited with code 1: thread #0 crashed); restarting in 8 s (attempt 3)';
    const client = createFakeClient({
      miners: [
        makeMiner({
          id: 'm1',
          state: 'backoff',
          pid: null,
          reason,
          supervision: { phase: 'backoff', restartAt: now + 8000, reason, attempt: 3 },
        }),
      ],
    });
    renderCard(client);
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('restarting');
    expect(screen.getByTestId('miner-restart-m1').textContent).toBe('Restarting in 8 s (attempt 3)');
    expect(screen.getByTestId('miner-reason-m1').textContent).toBe(reason);
    vi.advanceTimersByTime(3000);
    await vi.waitFor(() =>
      expect(screen.getByTestId('miner-restart-m1').textContent).toBe('Restarting in 5 s (attempt 3)'),
    );
    expect(screen.queryByTestId('restart-m1')).toBeNull();
    fireEvent.click(screen.getByTestId('stop-m1'));
    await vi.waitFor(() => expect(client.callsOf('stopMiner')).toEqual([{ id: 'm1' }]));
  });

  it('crash-loop: "crash loop", why it stopped retrying, and Start again', async () => {
    const reason =
      'crashed (exited with code 1); 5 failures within 10 min, not restarting until you start it again';
    const client = createFakeClient({
      miners: [makeMiner({ id: 'm1', state: 'crash-loop', pid: null, reason })],
    });
    renderCard(client);
    expect(screen.getByTestId('miner-state-m1').textContent).toBe('crash loop');
    expect(screen.getByTestId('miner-reason-m1').textContent).toBe(reason);
    expect(screen.queryByTestId('stop-m1')).toBeNull();
    expect(screen.queryByTestId('miner-restart-m1')).toBeNull();
    fireEvent.click(screen.getByTestId('restart-m1'));
    await vi.waitFor(() => expect(client.callsOf('restartMiner')).toEqual([{ id: 'm1' }]));
  });
});
