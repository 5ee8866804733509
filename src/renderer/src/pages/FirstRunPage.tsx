// First run (no profiles yet): either try the simulated demo (saves a "Demo" profile and starts it)
// or set up a real miner with just type, pool and wallet, validated by the shared start schema.
import { useState, type FormEvent } from 'react';
import { minerStartSchema } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { SelectField, TextField } from '../components/fields';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { messageOf, serverFieldErrors, zodErrorMap, type ErrorMap } from '../forms/fieldErrors';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { useUiStore } from '../store/uiStore';

type RealMiner = 'xmrig' | 'ttminer';
const REAL_TYPES: readonly { value: RealMiner; label: string }[] = [
  { value: 'xmrig', label: `${MINER_TYPE_LABELS.xmrig} (CPU)` },
  { value: 'ttminer', label: `${MINER_TYPE_LABELS.ttminer} (NVIDIA GPU)` },
];
const PREFIX = 'firstrun-';

function SetupForm({ onCancel }: { onCancel: () => void }) {
  const client = useClient();
  const [minerType, setMinerType] = useState<RealMiner>('xmrig');
  const [pool, setPool] = useState('');
  const [wallet, setWallet] = useState('');
  const [errors, setErrors] = useState<ErrorMap>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const config = { pool: pool.trim(), wallet: wallet.trim() };
    const parsed = minerStartSchema.safeParse({ minerType, config });
    if (!parsed.success) {
      setErrors(zodErrorMap(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const profile = await client.saveProfile({
        name: `My ${MINER_TYPE_LABELS[minerType]}`,
        minerType,
        config,
      });
      useProfilesStore.getState().upsert(profile);
      useUiStore.getState().setPage('miners');
      useUiStore.getState().setFirstRun(false);
    } catch (err) {
      const fields = serverFieldErrors(err);
      if (fields) setErrors(fields);
      else setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate data-testid="firstrun-form">
      <h2>Set up a miner</h2>
      <SelectField<RealMiner>
        id="firstrun-minerType"
        label="Miner"
        path="minerType"
        testPrefix={PREFIX}
        value={minerType}
        options={REAL_TYPES}
        onChange={setMinerType}
        error={errors.minerType}
      />
      <TextField
        id="firstrun-pool"
        label="Pool"
        path="config.pool"
        testPrefix={PREFIX}
        value={pool}
        onChange={setPool}
        error={errors['config.pool']}
        placeholder="stratum+tcp://pool.example.com:3333"
      />
      <TextField
        id="firstrun-wallet"
        label="Wallet address"
        path="config.wallet"
        testPrefix={PREFIX}
        value={wallet}
        onChange={setWallet}
        error={errors['config.wallet']}
      />
      {formError && (
        <p className="field-error" role="alert" data-testid="firstrun-setup-error">
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="firstrun-save">
          {busy ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}

export function FirstRunPage() {
  const client = useClient();
  const [mode, setMode] = useState<'choose' | 'setup'>('choose');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const demo = async () => {
    setBusy(true);
    setError(null);
    try {
      const profile = await client.saveProfile({ name: 'Demo', minerType: 'simulated', config: {} });
      useProfilesStore.getState().upsert(profile);
      const miner = await client.startMiner({ profileId: profile.id });
      useMinersStore.getState().upsert(miner);
      useUiStore.getState().setPage('dashboard');
      useUiStore.getState().setFirstRun(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page first-run" data-testid="firstrun">
      <h1 className="page-title">Welcome to HashDeck</h1>
      <p>
        HashDeck runs miners on this computer and shows what they do. Mining is always visible here and in the
        tray.
      </p>
      {mode === 'choose' ? (
        <div className="choices">
          <button
            type="button"
            className="btn btn-primary btn-large"
            disabled={busy}
            onClick={() => void demo()}
            data-testid="firstrun-demo"
          >
            {busy ? 'Starting the demo…' : 'Try the simulated demo'}
          </button>
          <button
            type="button"
            className="btn btn-large"
            disabled={busy}
            onClick={() => setMode('setup')}
            data-testid="firstrun-setup"
          >
            Set up a miner
          </button>
          <button
            type="button"
            className="btn-link"
            onClick={() => useUiStore.getState().setFirstRun(false)}
            data-testid="firstrun-skip"
          >
            Skip for now
          </button>
        </div>
      ) : (
        <SetupForm onCancel={() => setMode('choose')} />
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="firstrun-error">
          {error}
        </p>
      )}
    </div>
  );
}
