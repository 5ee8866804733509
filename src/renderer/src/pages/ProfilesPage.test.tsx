// @vitest-environment jsdom
// Profiles: the form shows the fields of the chosen miner type and maps shared-schema errors and server
// INVALID_INPUT details onto them; the page confirms saves, starts a profile from its row, pre-fills
// edits, duplicates under a new name and deletes only after a confirmation.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MinerError } from '../../../shared/errors';
import { ClientProvider } from '../client/ClientContext';
import { ProfileForm } from '../components/ProfileForm';
import { emptyProfileValues, validateProfile, valuesFromProfile } from '../forms/profileForm';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { resetStores } from '../store/sync';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeProfile } from '../test/fixtures';
import { ProfilesPage } from './ProfilesPage';

afterEach(() => {
  cleanup();
  resetStores();
});
function renderForm(client: FakeClient = createFakeClient(), onSaved = vi.fn()) {
  render(
    <ClientProvider client={client}>
      <ProfileForm initial={emptyProfileValues('xmrig')} onSaved={onSaved} onCancel={vi.fn()} />
    </ClientProvider>,
  );
  return { client, onSaved };
}

const type = (label: RegExp, value: string) => {
  const input = screen.getByLabelText(label);
  fireEvent.change(input, { target: { value } });
  fireEvent.blur(input);
  return input;
};

describe('ProfileForm', () => {
  it('shows the schema message under the pool field after entering a bad pool', () => {
    renderForm();
    const pool = type(/^Pool/, 'not a pool');
    const error = screen.getByTestId('error-config.pool');
    expect(error.textContent).toBe('Pool URL must look like stratum+tcp://host:port or host:port');
    expect(error.getAttribute('role')).toBe('alert');
    expect(pool.getAttribute('aria-describedby')).toContain(error.id);
    expect(pool.getAttribute('aria-invalid')).toBe('true');
    expect(pool.parentElement?.contains(error)).toBe(true);
  });

  it('does not show errors for fields the user has not reached yet', () => {
    renderForm();
    type(/^Pool/, 'not a pool');
    expect(screen.queryByTestId('error-config.wallet')).toBeNull();
  });

  it('shows every invalid field on save and does not call the server', () => {
    const { client } = renderForm();
    fireEvent.click(screen.getByTestId('profile-save'));
    expect(screen.getByTestId('error-name').textContent).toBe('Name is required');
    expect(screen.getByTestId('error-config.pool').textContent).toBe('Pool URL is required');
    expect(screen.getByTestId('error-config.wallet').textContent).toBe('Wallet address is required');
    expect(client.callsOf('saveProfile')).toHaveLength(0);
  });

  it('puts server INVALID_INPUT details on the matching field', async () => {
    const client = createFakeClient();
    client.respond('saveProfile', () => {
      throw new MinerError('INVALID_INPUT', 'Invalid profile', [
        { path: 'config.wallet', message: 'Wallet rejected by the server' },
      ]);
    });
    renderForm(client);
    type(/^Name/, 'Rig');
    type(/^Pool/, 'pool.example.com:3333');
    type(/^Wallet/, '4AbcDef');
    fireEvent.click(screen.getByTestId('profile-save'));
    expect((await screen.findByTestId('error-config.wallet')).textContent).toBe(
      'Wallet rejected by the server',
    );
  });

  it('saves a valid profile through the client', async () => {
    const { client, onSaved } = renderForm();
    type(/^Name/, 'Rig');
    type(/^Pool/, 'stratum+tcp://pool.example.com:3333');
    type(/^Wallet/, '4AbcDef');
    fireEvent.click(screen.getByTestId('profile-save'));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(client.callsOf('saveProfile')[0]).toMatchObject({
      name: 'Rig',
      minerType: 'xmrig',
      config: { pool: 'stratum+tcp://pool.example.com:3333', wallet: '4AbcDef' },
    });
  });
});

describe('validateProfile', () => {
  it('does not require pool and wallet for the simulated miner', () => {
    expect(validateProfile({ ...emptyProfileValues('simulated'), name: 'Demo' })).toEqual({});
  });

  it('shows only the fields of the chosen miner type', () => {
    renderForm();
    const form = screen.getByTestId('profile-form');
    for (const id of [
      'profile-tls',
      'profile-hugePages',
      'profile-donateLevel',
      'profile-coin',
      'profile-cliArgs',
    ])
      expect(screen.queryByTestId(id)).not.toBeNull();
    expect(screen.queryByTestId('profile-devices')).toBeNull();

    fireEvent.change(screen.getByTestId('profile-minerType'), { target: { value: 'simulated' } });
    expect(form.dataset.minerType).toBe('simulated');
    const shown = [...form.querySelectorAll('input, select')].map((e) => e.id).sort();
    expect(shown).toEqual(
      [
        'profile-algo',
        'profile-cpuMaxThreadsHint',
        'profile-minerType',
        'profile-name',
        'profile-pool',
        'profile-threads',
      ].sort(),
    );

    fireEvent.change(screen.getByTestId('profile-minerType'), { target: { value: 'ttminer' } });
    expect(screen.queryByTestId('profile-devices')).not.toBeNull();
    expect(screen.queryByTestId('profile-intensity')).not.toBeNull();
    for (const id of [
      'profile-tls',
      'profile-hugePages',
      'profile-donateLevel',
      'profile-threads',
      'profile-cpuPriority',
    ])
      expect(screen.queryByTestId(id)).toBeNull();
  });

  it('keeps the saved values of fields another type does not show', async () => {
    const client = createFakeClient();
    const saved = makeProfile({
      id: 'p9',
      name: 'GPU',
      minerType: 'ttminer',
      config: {
        ...makeProfile().config,
        pool: 'pool.example.com:4444',
        wallet: 'w',
        devices: '0,1',
        donateLevel: 5,
      },
    });
    render(
      <ClientProvider client={client}>
        <ProfileForm
          initial={valuesFromProfile(saved)}
          base={saved.config}
          onSaved={vi.fn()}
          onCancel={vi.fn()}
        />
      </ClientProvider>,
    );
    fireEvent.change(screen.getByTestId('profile-intensity'), { target: { value: '80' } });
    fireEvent.click(screen.getByTestId('profile-save'));
    await vi.waitFor(() => expect(client.callsOf('saveProfile')).toHaveLength(1));
    expect(client.callsOf('saveProfile')[0]).toMatchObject({
      minerType: 'ttminer',
      config: { devices: '0,1', intensity: 80, donateLevel: 5 },
    });
  });

  it('names an out-of-range pool port', () => {
    renderForm();
    type(/^Pool/, '127.0.0.1:99999');
    expect(screen.getByTestId('error-config.pool').textContent).toBe(
      'Pool port 99999 is out of range (1–65535)',
    );
  });

  it('ignores a bad value in a field the chosen type does not show', () => {
    const values = { ...emptyProfileValues('simulated'), name: 'Demo', intensity: 'lots', donateLevel: 'x' };
    expect(validateProfile(values)).toEqual({});
  });

  it('reports a non-numeric number field in words', () => {
    const errors = validateProfile({ ...emptyProfileValues('simulated'), name: 'Demo', threads: 'abc' });
    expect(errors['config.threads']).toBe('Threads must be a number');
  });
});

function renderPage() {
  const client = createFakeClient({ profiles: [makeProfile({ id: 'p1', name: 'Rig' })] });
  useProfilesStore.getState().setAll(client.state.profiles);
  render(
    <ClientProvider client={client}>
      <ProfilesPage />
    </ClientProvider>,
  );
  return client;
}

describe('ProfilesPage', () => {
  it('confirms a save', async () => {
    renderPage();
    fireEvent.click(screen.getByTestId('profile-edit-p1'));
    fireEvent.change(screen.getByTestId('profile-name'), { target: { value: 'Rig 2' } });
    fireEvent.click(screen.getByTestId('profile-save'));
    expect((await screen.findByTestId('profile-saved')).textContent).toBe('Saved “Rig 2”.');
    expect(screen.queryByTestId('profile-form')).toBeNull();
  });

  it('starts a miner from the profile row and says so', async () => {
    const client = renderPage();
    fireEvent.click(screen.getByTestId('profile-start-p1'));
    expect((await screen.findByTestId('profile-started-p1')).textContent).toContain('Started “Rig”.');
    expect(client.callsOf('startMiner')).toEqual([{ profileId: 'p1' }]);
    expect(useMinersStore.getState().order).toHaveLength(1);
  });

  it('opens the form pre-filled for editing', () => {
    renderPage();
    fireEvent.click(screen.getByTestId('profile-edit-p1'));
    expect((screen.getByTestId('profile-name') as HTMLInputElement).value).toBe('Rig');
    expect((screen.getByTestId('profile-minerType') as HTMLSelectElement).value).toBe('simulated');
  });

  it('deletes only after confirmation', async () => {
    const client = renderPage();
    fireEvent.click(screen.getByTestId('profile-delete-p1'));
    expect(client.callsOf('deleteProfile')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('profile-delete-confirm-p1'));
    await vi.waitFor(() => expect(screen.queryByTestId('profile-row-p1')).toBeNull());
    expect(client.callsOf('deleteProfile')).toEqual([{ id: 'p1' }]);
  });

  it('duplicates a profile under a new name', async () => {
    const client = renderPage();
    fireEvent.click(screen.getByTestId('profile-duplicate-p1'));
    await vi.waitFor(() => expect(client.callsOf('saveProfile')).toHaveLength(1));
    expect(client.callsOf('saveProfile')[0]).toMatchObject({ name: 'Rig (copy)', minerType: 'simulated' });
  });
});
