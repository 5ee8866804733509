// @vitest-environment jsdom
// Browser mode: the banner while the event stream is down, the resync that says what changed while it
// was (miners stopped, gone, restarted), stale action errors cleared, and a refused session named.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../../shared/contract';
import type { ConnectionState } from '../client/resync';
import { describeChanges } from '../store/reconnectChanges';
import { resetStores } from '../store/sync';
import { useUiStore } from '../store/uiStore';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeMiner, makeProfile, makeSettings, makeStats } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

afterEach(() => {
  cleanup();
  resetStores();
});

/** The fake client plus the two capabilities of the HTTP transport, driven by the test. */
function reconnectingClient(initial: Parameters<typeof createFakeClient>[0]) {
  const client = createFakeClient(initial);
  const resync = new Set<(s: Snapshot) => void>();
  const connection = new Set<(s: ConnectionState) => void>();
  const transport = Object.assign(client, {
    onResync: (h: (s: Snapshot) => void) => (resync.add(h), () => resync.delete(h)),
    onConnection: (h: (s: ConnectionState) => void) => (connection.add(h), () => connection.delete(h)),
  });
  return {
    client: transport as FakeClient,
    drop: (refused = false) => act(() => connection.forEach((h) => h({ online: false, refused }))),
    back: (snapshot: Snapshot) =>
      act(() => {
        resync.forEach((h) => h(snapshot));
        connection.forEach((h) => h({ online: true, refused: false }));
      }),
  };
}

describe('connection banner', () => {
  it('shows while disconnected, then lists what changed and clears stale errors', async () => {
    const rig = makeMiner({ id: 'rig', name: 'CPU rig', stats: makeStats() });
    const demo = makeMiner({ id: 'demo', name: 'Demo', stats: makeStats() });
    const { client, drop, back } = reconnectingClient({ profiles: [makeProfile()], miners: [rig, demo] });
    renderApp(client);
    await screen.findByTestId('miner-card-rig');
    expect(screen.queryByTestId('connection-banner')).toBeNull();

    drop();
    const banner = screen.getByTestId('connection-banner');
    expect(banner.dataset.state).toBe('offline');
    expect(banner.textContent).toMatch(/Lost the connection to HashDeck at .*Reconnecting…/);

    // An action tried meanwhile fails; that error must not outlive the outage.
    client.respond('pauseMiner', () => Promise.reject(new Error('Cannot reach HashDeck (Failed to fetch)')));
    fireEvent.click(screen.getByTestId('pause-rig'));
    await screen.findByTestId('miner-error-rig');

    back({
      miners: [{ ...rig, state: 'stopped', pid: null, lastExit: { code: 0, signal: null, at: 5 } }],
      profiles: [makeProfile()],
      settings: makeSettings(),
      binaries: [],
    });
    const after = screen.getByTestId('connection-banner');
    expect(after.dataset.state).toBe('reconnected');
    expect(screen.getByTestId('connection-changes').textContent).toBe(
      'CPU rig was stopped.Demo is gone: it was running before (HashDeck may have restarted, which stops its miners).',
    );
    expect(screen.queryByTestId('miner-error-rig')).toBeNull();
    expect(screen.getByTestId('miner-state-rig').textContent).toBe('stopped');
    fireEvent.click(screen.getByTestId('connection-dismiss'));
    expect(screen.queryByTestId('connection-banner')).toBeNull();
  });

  it('says when the server came back but refuses this page (a new token)', async () => {
    const { client, drop } = reconnectingClient({ profiles: [makeProfile()] });
    renderApp(client);
    await screen.findByTestId('page-dashboard');
    drop(true);
    expect(screen.getByTestId('connection-banner').textContent).toMatch(/no longer accepts this page/);
  });

  it('says briefly that nothing changed, then goes away', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const m = makeMiner({ id: 'm1' });
      const { client, drop, back } = reconnectingClient({ profiles: [makeProfile()], miners: [m] });
      renderApp(client);
      await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
      drop();
      back({ miners: [m], profiles: [makeProfile()], settings: makeSettings(), binaries: [] });
      expect(screen.getByTestId('connection-banner').textContent).toContain('Nothing changed');
      act(() => vi.advanceTimersByTime(5000));
      expect(screen.queryByTestId('connection-banner')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('describeChanges', () => {
  it('names crashes, restarts, pauses and miners added meanwhile', () => {
    const a = makeMiner({ id: 'a', name: 'A' });
    const b = makeMiner({ id: 'b', name: 'B' });
    const c = makeMiner({ id: 'c', name: 'C' });
    expect(
      describeChanges({ a, b, c }, [
        { ...a, state: 'crashed', lastExit: { code: null, signal: 'SIGSEGV', at: 1 } },
        { ...b, generation: 2 },
        { ...c, paused: true },
        makeMiner({ id: 'd', name: 'D' }),
      ]),
    ).toEqual([
      'A crashed (killed by SIGSEGV).',
      'B was restarted.',
      'C was paused.',
      'D was added and is running.',
    ]);
    expect(describeChanges({ a }, [a])).toEqual([]);
  });

  it('tells a miner stopped by the server’s shutdown from one removed long ago', () => {
    const stopped = (id: string, at: number) =>
      makeMiner({ id, name: id.toUpperCase(), state: 'stopped', lastExit: { code: 0, signal: null, at } });
    expect(describeChanges({ x: stopped('x', 99_000), y: stopped('y', 10_000) }, [], 100_000)).toEqual([
      'X was stopped when HashDeck shut down.',
      'Y was removed.',
    ]);
  });
});
