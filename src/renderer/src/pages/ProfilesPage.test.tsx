// @vitest-environment jsdom
// Profiles: the form maps shared-schema errors and server INVALID_INPUT details onto its fields; the
// page pre-fills edits, duplicates under a new name and deletes only after a confirmation.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MinerError } from '../../../shared/errors';
import { ClientProvider } from '../client/ClientContext';
import { ProfileForm } from '../components/ProfileForm';
import { emptyProfileValues, validateProfile } from '../forms/profileForm';
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
