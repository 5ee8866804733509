// The "Detect" button of the profile form: asks main whether the miner binary is installed (at the
// given path or on the default locations) and shows found / version / message.
import { useState } from 'react';
import type { InstallationCheck } from '../../../shared/contract';
import type { MinerType } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { messageOf } from '../forms/fieldErrors';

export function DetectBinary({ minerType, binaryPath }: { minerType: MinerType; binaryPath: string }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<InstallationCheck | null>(null);
  const [error, setError] = useState<string | null>(null);

  const detect = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const path = binaryPath.trim();
      setResult(await client.checkInstallation(path ? { minerType, binaryPath: path } : { minerType }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="detect">
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={() => void detect()}
        data-testid="profile-detect"
      >
        {busy ? 'Detecting…' : 'Detect'}
      </button>
      {result && (
        <p
          className={result.found ? 'detect-found' : 'detect-missing'}
          role="status"
          data-testid="profile-detect-result"
          data-found={result.found}
        >
          {result.found ? 'Found' : 'Not found'}
          {result.version ? ` · version ${result.version}` : ''}
          {result.path ? ` · ${result.path}` : ''}
          {result.message ? ` · ${result.message}` : ''}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="profile-detect-error">
          {error}
        </p>
      )}
    </div>
  );
}
