// @vitest-environment jsdom
// Miners page: start from a profile, lifecycle buttons disabled while in flight, throttle result.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MinerSnapshot } from '../../../shared/model';
import { MinerError } from '../../../shared/errors';
import { ClientProvider } from '../client/ClientContext';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { resetStores } from '../store/sync';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeMiner, makeProfile, makeStats } from '../test/fixtures';
import { MinersPage } from './MinersPage';

afterEach(() => {
  cleanup();
  resetStores();
});

function renderPage(client: FakeClient) {
  useMinersStore.getState().setAll(client.state.miners);
  useProfilesStore.getState().setAll(client.state.profiles);
  render(
    <ClientProvider client={client}>
      <MinersPage />
    </ClientProvider>,
  );
}

describe('MinersPage', () => {
  it('starts a miner from the selected profile', async () => {
    const client = createFakeClient({
      profiles: [makeProfile({ id: 'p1' }), makeProfile({ id: 'p2', name: 'Two' })],
    });
    renderPage(client);
    fireEvent.change(screen.getByTestId('start-profile-select'), { target: { value: 'p2' } });
    fireEvent.click(screen.getByTestId('start-button'));
    await vi.waitFor(() => expect(client.callsOf('startMiner')).toEqual([{ profileId: 'p2' }]));
    expect(await screen.findByTestId('miner-row-m1')).toBeTruthy();
  });

  it('disables the miner buttons while an operation is in flight and shows errors inline', async () => {
    const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
    let fail: (err: Error) => void = () => undefined;
    client.respond('stopMiner', () => new Promise<MinerSnapshot>((_, reject) => (fail = reject)));
    renderPage(client);
    fireEvent.click(screen.getByTestId('stop-m1'));
    expect((screen.getByTestId('pause-m1') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('restart-m1') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => fail(new MinerError('TIMEOUT', 'Miner did not stop in time')));
    expect(screen.getByTestId('miner-error-m1').textContent).toBe('Miner did not stop in time');
    expect((screen.getByTestId('pause-m1') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows whether a throttle change applied live or needs a restart', async () => {
    const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
    client.respond('setThrottle', ({ id }) => ({ mode: 'restart', miner: makeMiner({ id }) }));
    renderPage(client);
    fireEvent.click(screen.getByTestId('throttle-preset-m1-50'));
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    const result = await screen.findByTestId('throttle-result-m1');
    expect(result.dataset.mode).toBe('restart');
    expect(client.callsOf('setThrottle')[0]).toMatchObject({ id: 'm1', cpuMaxThreadsHint: 50 });
  });

  it('offers pause for a running miner and resume for a paused one', () => {
    const client = createFakeClient({
      miners: [
        makeMiner({ id: 'a' }),
        makeMiner({ id: 'b', paused: true }),
        makeMiner({ id: 'c', state: 'stopped' }),
      ],
    });
    renderPage(client);
    expect(screen.queryByTestId('pause-a')).not.toBeNull();
    expect(screen.queryByTestId('resume-b')).not.toBeNull();
    expect(screen.queryByTestId('pause-b')).toBeNull();
    expect(screen.queryByTestId('remove-c')).not.toBeNull();
    expect(screen.queryByTestId('remove-a')).toBeNull();
  });

  it('shows the warm-up on the row, and a stopped miner’s last rate marked as such', () => {
    const client = createFakeClient({
      miners: [
        makeMiner({ id: 'w', minerType: 'xmrig', warmup: { phase: 'first-sample', since: Date.now() } }),
        makeMiner({ id: 's', state: 'stopped', stats: makeStats({ hashrate: [24.3, null, null] }) }),
      ],
    });
    renderPage(client);
    expect(screen.getByTestId('miner-state-w').textContent).toBe('warming up');
    expect(screen.getByTestId('miner-warmup-w').textContent).toMatch(
      /^Hashing; waiting for the first 10-second average/,
    );
    expect(screen.getByTestId('miner-last-s').textContent).toBe('last: 24.3 H/s');
    expect(screen.queryByTestId('miner-hashrate-s')).toBeNull();
  });

  it('shows a failed throttle once, in the throttle panel, not again as the miner’s error', async () => {
    const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
    client.respond('setThrottle', () => Promise.reject(new MinerError('MINER_API', 'config write failed')));
    renderPage(client);
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    expect((await screen.findByTestId('throttle-error-m1')).textContent).toBe('config write failed');
    expect(screen.queryByTestId('miner-error-m1')).toBeNull();
  });
});
