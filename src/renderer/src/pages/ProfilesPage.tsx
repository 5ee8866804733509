// Profiles: the saved miner configurations with start, create, edit, duplicate and delete (confirmed
// inline); a save says so, a start says where to watch the miner.
import { memo, useState } from 'react';
import type { Profile } from '../../../shared/contract';
import type { MinerConfig } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { ProfileForm } from '../components/ProfileForm';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { messageOf } from '../forms/fieldErrors';
import { BinaryActions } from '../components/install/BinaryActions';
import { binaryMessage, binaryProblemOfError, type BinaryProblem } from '../store/binaryProblem';
import { emptyProfileValues, valuesFromProfile, type ProfileFormValues } from '../forms/profileForm';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { useUiStore } from '../store/uiStore';

interface Editing {
  key: number;
  values: ProfileFormValues;
  base?: MinerConfig;
}

const copyName = (name: string): string => `${name} (copy)`.slice(0, 64);

const ProfileItem = memo(function ProfileItem({
  profile,
  onEdit,
}: {
  profile: Profile;
  onEdit: (p: Profile) => void;
}) {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [binaryProblem, setBinaryProblem] = useState<BinaryProblem | null>(null);
  const id = profile.id;

  const guarded = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setStarted(null);
    setBinaryProblem(null);
    try {
      await fn();
    } catch (err) {
      setError(messageOf(err));
      const type = profile.minerType;
      setBinaryProblem(binaryProblemOfError(err, type === 'simulated' ? undefined : type));
    } finally {
      setBusy(false);
    }
  };

  const duplicate = () =>
    guarded(async () => {
      const copy = await client.saveProfile({
        name: copyName(profile.name),
        minerType: profile.minerType,
        config: profile.config,
      });
      useProfilesStore.getState().upsert(copy);
    });

  const start = () =>
    guarded(async () => {
      const miner = await client.startMiner({ profileId: id });
      useMinersStore.getState().upsert(miner);
      setStarted(miner.name);
    });

  const remove = () =>
    guarded(async () => {
      await client.deleteProfile({ id });
      useProfilesStore.getState().remove(id);
    });

  return (
    <li className="card profile-row" data-testid={`profile-row-${id}`}>
      <div className="profile-summary">
        <strong>{profile.name}</strong>
        <span className="muted">{MINER_TYPE_LABELS[profile.minerType]}</span>
        <span className="muted ellipsis">{profile.config.pool || 'no pool'}</span>
      </div>
      <div className="actions" role="group" aria-label={`Actions for profile ${profile.name}`}>
        {confirming ? (
          <>
            <span role="alert">Delete “{profile.name}”?</span>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => void remove()}
              data-testid={`profile-delete-confirm-${id}`}
            >
              Delete
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => setConfirming(false)}
              data-testid={`profile-delete-cancel-${id}`}
            >
              Keep
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => void start()}
              data-testid={`profile-start-${id}`}
            >
              Start
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => onEdit(profile)}
              data-testid={`profile-edit-${id}`}
            >
              Edit
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => void duplicate()}
              data-testid={`profile-duplicate-${id}`}
            >
              Duplicate
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => setConfirming(true)}
              data-testid={`profile-delete-${id}`}
            >
              Delete
            </button>
          </>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid={`profile-error-${id}`}>
          {binaryMessage(error, binaryProblem)}
        </p>
      )}
      {error && binaryProblem && (
        <BinaryActions
          problem={binaryProblem}
          message={error}
          testId={`profile-binary-${id}`}
          onEditProfile={() => onEdit(profile)}
        />
      )}
      {started && (
        <p className="profile-started" role="status" data-testid={`profile-started-${id}`}>
          Started “{started}”.{' '}
          <button
            type="button"
            className="btn-link"
            onClick={() => useUiStore.getState().setPage('dashboard')}
          >
            See it on the dashboard
          </button>
        </p>
      )}
    </li>
  );
});

let editKey = 0;

export function ProfilesPage() {
  const profiles = useProfilesStore((s) => s.list);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const startNew = () => {
    setSaved(null);
    setEditing({ key: ++editKey, values: emptyProfileValues() });
  };
  const startEdit = (p: Profile) => {
    setSaved(null);
    setEditing({ key: ++editKey, values: valuesFromProfile(p), base: p.config });
  };

  return (
    <div className="page" data-testid="page-profiles">
      <div className="page-header">
        <h1 className="page-title">Profiles</h1>
        <button type="button" className="btn btn-primary" onClick={startNew} data-testid="profile-new">
          New profile
        </button>
      </div>
      {editing && (
        <ProfileForm
          key={editing.key}
          initial={editing.values}
          base={editing.base}
          onSaved={(p) => {
            setEditing(null);
            setSaved(p.name);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {saved && (
        <p className="saved-note" role="status" data-testid="profile-saved">
          Saved “{saved}”.
        </p>
      )}
      {profiles.length === 0 ? (
        <p className="empty">No profiles yet.</p>
      ) : (
        <ul className="profile-list" aria-label="Profiles">
          {profiles.map((p) => (
            <ProfileItem key={p.id} profile={p} onEdit={startEdit} />
          ))}
        </ul>
      )}
    </div>
  );
}
