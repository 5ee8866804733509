// @vitest-environment jsdom
// The throttle panel: a live change pending until the miner confirms it (from the snapshot), then
// applied or failed with the reason; "only for this run" vs "also save to the profile" and what was
// done; the running knobs against the profile's; TT-Miner's next-start answer; the miner's CPU budget.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandOutput } from '../../../shared/contract';
import type { MinerControl, MinerSnapshot, ThrottleApply } from '../../../shared/model';
import { minerConfigObject } from '../../../shared/schemas';
import { ClientProvider } from '../client/ClientContext';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { resetStores } from '../store/sync';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeControl, makeMiner, makeProfile, makeStats } from '../test/fixtures';
import { MinerRow } from './MinerRow';

afterEach(() => {
  cleanup();
  resetStores();
});

const control = (over: Partial<MinerControl> = {}): MinerControl =>
  makeControl({ effective: { threads: null, cpuMaxThreadsHint: 100, cpuPriority: null }, ...over });

const xmrig = (over: Partial<MinerSnapshot> = {}) =>
  makeMiner({
    id: 'm1',
    minerType: 'xmrig',
    profileId: 'p1',
    stats: makeStats(),
    control: control(),
    ...over,
  });

const apply = (state: ThrottleApply['state'], message: string | null = null): ThrottleApply => ({
  id: 7,
  by: 'user',
  state,
  target: { threads: 2, cpuMaxThreadsHint: 100, cpuPriority: null },
  requestedAt: 1,
  settledAt: state === 'pending' ? null : 2,
  message,
});

function renderRow(client: FakeClient, miner: MinerSnapshot) {
  client.state.miners = [miner];
  useMinersStore.getState().setAll([miner]);
  useProfilesStore
    .getState()
    .setAll([makeProfile({ id: 'p1', name: 'Night rig', minerType: miner.minerType })]);
  render(
    <ClientProvider client={client}>
      <ul>
        <MinerRow id={miner.id} />
      </ul>
    </ClientProvider>,
  );
}

const result = () => screen.getByTestId('throttle-result-m1');

describe('ThrottleControls', () => {
  it('shows the change pending while the miner has not confirmed it, then applied', async () => {
    const client = createFakeClient();
    let answer: (res: CommandOutput<'setThrottle'>) => void = () => undefined;
    client.respond('setThrottle', () => new Promise((resolve) => (answer = resolve)));
    renderRow(client, xmrig());
    fireEvent.change(screen.getByTestId('throttle-threads-m1'), { target: { value: '2' } });
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    // the main process writes the config and says "pending" in the snapshot before it answers
    act(() => useMinersStore.getState().upsert(xmrig({ control: control({ throttle: apply('pending') }) })));
    expect(result().dataset.state).toBe('pending');
    expect(result().textContent).toBe('Applying live: waiting for XMRig to confirm it…');
    const confirmed = xmrig({
      control: control({ throttle: apply('applied'), effective: apply('applied').target }),
    });
    await act(async () => answer({ mode: 'live', miner: confirmed, apply: apply('applied'), message: null }));
    expect(result().dataset.state).toBe('applied');
    expect(result().dataset.mode).toBe('live');
    expect(result().textContent).toBe('Applied live: XMRig confirmed it.');
    expect(screen.getByTestId('throttle-effective-m1').textContent).toBe(
      '2 threads · CPU hint 100 % · priority default',
    );
    expect(client.callsOf('setThrottle')).toEqual([
      {
        id: 'm1',
        persist: false,
        threads: 2,
        cpuMaxThreadsHint: 100,
        cpuPriority: undefined,
        cpuBudgetPercent: 0,
      },
    ]);
  });

  it('shows why a change failed', async () => {
    const client = createFakeClient();
    const failed = apply('failed', 'XMRig still runs 4 threads after 5 s');
    client.respond('setThrottle', () => ({
      mode: 'live',
      miner: xmrig({ control: control({ throttle: failed }) }),
      apply: failed,
      message: failed.message,
    }));
    renderRow(client, xmrig());
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    await screen.findByTestId('throttle-result-m1');
    expect(result().dataset.state).toBe('failed');
    expect(result().getAttribute('role')).toBe('alert');
    expect(result().textContent).toBe('Not applied: XMRig still runs 4 threads after 5 s');
    // the reason is said once, not repeated as a note
    expect(screen.queryByTestId('throttle-message-m1')).toBeNull();
  });

  it('applies only for this run unless asked to save it to the profile, and says which it did', async () => {
    const client = createFakeClient();
    client.respond('setThrottle', ({ persist }) => ({
      mode: 'live',
      miner: xmrig({ control: control({ throttle: apply('applied') }) }),
      apply: apply('applied'),
      savedToProfile: persist ? 'p1' : undefined,
      message: null,
    }));
    renderRow(client, xmrig());
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    const saved = await screen.findByTestId('throttle-saved-m1');
    expect(saved.textContent).toBe('Only for this run: the profile “Night rig” keeps its own settings.');
    expect(saved.dataset.persist).toBe('false');

    fireEvent.click(screen.getByTestId('throttle-scope-profile-m1'));
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    await vi.waitFor(() => expect(client.callsOf('setThrottle')).toHaveLength(2));
    await vi.waitFor(() => expect(screen.getByTestId('throttle-saved-m1').dataset.persist).toBe('true'));
    expect(screen.getByTestId('throttle-saved-m1').textContent).toBe(
      'Also saved to the profile “Night rig”: the next start uses it too.',
    );
    expect(client.callsOf('setThrottle')[1]).toMatchObject({ persist: true });
  });

  it('says so when a change could not be saved to a profile', async () => {
    const client = createFakeClient();
    const message = 'Applied for this run only: this miner was not started from a saved profile';
    client.respond('setThrottle', () => ({
      mode: 'live',
      miner: xmrig(),
      apply: null,
      savedToProfile: null,
      message,
    }));
    renderRow(client, xmrig());
    fireEvent.click(screen.getByTestId('throttle-scope-profile-m1'));
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    expect((await screen.findByTestId('throttle-saved-m1')).textContent).toBe(message);
  });

  it('cannot offer to save a miner that has no profile', () => {
    renderRow(createFakeClient(), xmrig({ profileId: null }));
    expect((screen.getByTestId('throttle-scope-profile-m1') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('throttle-profile-m1').textContent).toBe(
      'This miner was not started from a saved profile.',
    );
  });

  it('compares the running knobs with the profile’s, and marks the budget’s hold', () => {
    const miner = xmrig({
      control: control({
        effective: { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: 0 },
        budget: { targetPercent: 25, threads: 1, duty: 1, stage: 'priority' },
      }),
    });
    renderRow(createFakeClient(), miner);
    expect(screen.getByTestId('throttle-effective-m1').textContent).toBe(
      '1 thread · CPU hint 100 % · priority 0 (held by the CPU budget)',
    );
    expect(screen.getByTestId('throttle-profile-m1').textContent).toBe(
      'threads: automatic · CPU hint 100 % · priority default (differs from the running miner)',
    );
  });

  it('tells that TT-Miner applies its changes at the next start', async () => {
    const client = createFakeClient();
    client.respond('setThrottle', ({ id }) => ({
      mode: 'restart',
      miner: xmrig({ id, minerType: 'ttminer', control: control({ pauseKind: 'stop' }) }),
    }));
    renderRow(client, xmrig({ minerType: 'ttminer', control: control({ pauseKind: 'stop' }) }));
    expect(screen.getByTestId('throttle-next-start-m1').textContent).toBe(
      'TT-Miner has no live settings: changes here apply when it starts next.',
    );
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    await screen.findByTestId('throttle-result-m1');
    expect(result().dataset.state).toBe('next-start');
    expect(result().textContent).toBe('TT-Miner has no live settings: this applies when it starts next.');
  });

  it('sets and removes the miner’s own CPU budget, and refuses one over 100 %', async () => {
    const client = createFakeClient();
    renderRow(
      client,
      xmrig({ config: minerConfigObject.parse({ pool: 'p:1', wallet: 'w', cpuBudgetPercent: 40 }) }),
    );
    const field = screen.getByTestId('throttle-budget-m1') as HTMLInputElement;
    expect(field.value).toBe('40');
    fireEvent.change(field, { target: { value: '150' } });
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    expect(screen.getByTestId('throttle-error-m1').textContent).toMatch(/between 1 and 100 %/);
    expect(client.callsOf('setThrottle')).toHaveLength(0);
    fireEvent.change(field, { target: { value: '30' } });
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    await vi.waitFor(() => expect(client.callsOf('setThrottle')[0]).toMatchObject({ cpuBudgetPercent: 30 }));
    await screen.findByTestId('throttle-result-m1');
    fireEvent.change(field, { target: { value: '' } });
    fireEvent.click(screen.getByTestId('throttle-apply-m1'));
    await vi.waitFor(() => expect(client.callsOf('setThrottle')[1]).toMatchObject({ cpuBudgetPercent: 0 }));
  });
});
