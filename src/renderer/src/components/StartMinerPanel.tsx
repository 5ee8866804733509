// Starts a new miner instance from a saved profile: a profile select and a Start button, with the
// server's error shown inline (a missing binary with the buttons that fix it). Defaults to the last used
// profile.
import { useState } from 'react';
import { useClient } from '../client/ClientContext';
import { messageOf } from '../forms/fieldErrors';
import { binaryMessage, binaryProblemOfError, type BinaryProblem } from '../store/binaryProblem';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { useSettingsStore } from '../store/settingsStore';
import { useUiStore } from '../store/uiStore';
import { BinaryActions } from './install/BinaryActions';
import { useShownOnMiner } from './install/useShownOnMiner';

export function StartMinerPanel() {
  const client = useClient();
  const profiles = useProfilesStore((s) => s.list);
  const lastProfileId = useSettingsStore((s) => s.settings?.lastProfileId ?? null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [binaryProblem, setBinaryProblem] = useState<BinaryProblem | null>(null);
  const [failedProfile, setFailedProfile] = useState<string | null>(null);
  // The failed start's own row (below) offers the same buttons: one set is enough.
  const onRow = useShownOnMiner(failedProfile);

  const fallback = profiles.find((p) => p.id === lastProfileId)?.id ?? profiles[0]?.id ?? '';
  const profileId = chosen !== null && profiles.some((p) => p.id === chosen) ? chosen : fallback;

  const start = async () => {
    if (!profileId) return;
    setBusy(true);
    setError(null);
    setBinaryProblem(null);
    try {
      const miner = await client.startMiner({ profileId });
      useMinersStore.getState().upsert(miner);
      useUiStore.getState().selectMiner(miner.id);
    } catch (err) {
      setError(messageOf(err));
      const type = profiles.find((p) => p.id === profileId)?.minerType;
      setBinaryProblem(binaryProblemOfError(err, type === 'simulated' ? undefined : type));
      setFailedProfile(profileId);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card start-panel" aria-labelledby="start-title">
      <h2 id="start-title">Start a miner</h2>
      {profiles.length === 0 ? (
        <p className="muted">
          No profiles yet.{' '}
          <button
            type="button"
            className="btn-link"
            onClick={() => useUiStore.getState().setPage('profiles')}
          >
            Create a profile
          </button>{' '}
          first.
        </p>
      ) : (
        <div className="inline-form">
          <label htmlFor="start-profile">Profile</label>
          <select
            id="start-profile"
            value={profileId}
            onChange={(e) => setChosen(e.target.value)}
            data-testid="start-profile-select"
            aria-describedby={error ? 'start-error' : undefined}
          >
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || !profileId}
            onClick={() => void start()}
            data-testid="start-button"
          >
            {busy ? 'Starting…' : 'Start'}
          </button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert" id="start-error" data-testid="start-error">
          {binaryMessage(error, binaryProblem)}
          {binaryProblem && onRow && ' See the miner below for how to get one.'}
        </p>
      )}
      {error && binaryProblem && !onRow && (
        <BinaryActions problem={binaryProblem} message={error} testId="start-binary" />
      )}
    </section>
  );
}
